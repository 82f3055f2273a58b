package com.leadforge.scraping.job;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.persistence.AttributeConverter;

/**
 * A scraping job's state machine: pending → running ⇄ paused → completed | failed | cancelled; cancel from pending,
 * running or paused. Clients move a job with start, pause, resume and cancel; completed and failed are the worker's.
 */
public enum JobStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("running") RUNNING,
    @JsonProperty("paused") PAUSED,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("failed") FAILED,
    @JsonProperty("cancelled") CANCELLED;

    public static final String CODE_PATTERN = "pending|running|paused|completed|failed|cancelled";

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobStatus> fromCode(String code) {
        return Arrays.stream(values()).filter(status -> status.code().equals(code)).findFirst();
    }

    /** The states this one may move to. */
    public Set<JobStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, CANCELLED);
            case RUNNING -> EnumSet.of(PAUSED, COMPLETED, FAILED, CANCELLED);
            case PAUSED -> EnumSet.of(RUNNING, CANCELLED);
            case COMPLETED, FAILED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }

    public boolean canBecome(JobStatus target) {
        return next().contains(target);
    }

    public boolean isFinal() {
        return next().isEmpty();
    }

    /** The client actions this state allows, as named in the API ({@code start, cancel}), for 409 answers. */
    public String allowedActions() {
        String actions = Arrays.stream(JobAction.values()).filter(action -> action.allowedFrom(this))
                .map(JobAction::path).collect(Collectors.joining(", "));
        return actions.isEmpty() ? "none (the job has ended)" : actions;
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements AttributeConverter<JobStatus, String> {
        @Override
        public String convertToDatabaseColumn(JobStatus value) {
            return value == null ? null : value.code();
        }

        @Override
        public JobStatus convertToEntityAttribute(String code) {
            return code == null ? null : JobStatus.valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
