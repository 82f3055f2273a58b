package com.leadforge.shared.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * RFC 9457 problem details. {@code type} is stable and documented (docs/errors.md); {@code detail} is for people and
 * never carries stack traces, SQL or internal names. Member names are fixed here so that no service's JSON naming
 * strategy can change the format.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, String instance,
        @JsonProperty("request_id") String requestId, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://leadforge.io/problems/";

    public record FieldError(String field, String message) {
    }
}
