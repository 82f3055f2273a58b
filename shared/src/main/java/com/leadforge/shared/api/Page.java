package com.leadforge.shared.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A page of results: {@code {data, meta:{total, page, pageSize, hasMore}}}. */
public record Page<T>(List<T> data, Meta meta) {

    public record Meta(long total, int page, @JsonProperty("pageSize") int pageSize,
            @JsonProperty("hasMore") boolean hasMore) {
    }

    public static <T> Page<T> of(List<T> data, long total, PageRequest request) {
        return new Page<>(data, new Meta(total, request.page(), request.pageSize(),
                (long) request.page() * request.pageSize() < total));
    }
}
