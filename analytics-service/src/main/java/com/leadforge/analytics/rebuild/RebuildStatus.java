package com.leadforge.analytics.rebuild;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A rebuild as operators see it: its state ({@code building}, then {@code completed}, {@code failed},
 * {@code cancelled} or {@code abandoned}), the tables it rebuilds, the records replayed of each topic against the
 * total captured at its start, and when it started, switched over and finished.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RebuildStatus(UUID id, String state, String requestedBy, boolean cancelRequested, List<String> tables,
        List<TopicProgress> topics, long applied, long skipped, String error, Instant startedAt, Instant switchedAt,
        Instant finishedAt) {

    public static final String BUILDING = "building";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String ABANDONED = "abandoned";

    /** Records of one topic (its dead-letter companion included) read so far, of those present at the start. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TopicProgress(String topic, long replayed, long total) {
    }

    /** Records read of all topics over all there were to read, 0..1. */
    public double fraction() {
        long total = topics.stream().mapToLong(TopicProgress::total).sum();
        long replayed = topics.stream().mapToLong(TopicProgress::replayed).sum();
        if (COMPLETED.equals(state)) {
            return 1.0;
        }
        return total == 0 ? 0.0 : Math.min(1.0, (double) replayed / total);
    }
}
