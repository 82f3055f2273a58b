package com.leadforge.analytics.rebuild;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Prometheus view of the rebuild this replica runs (docs/operations.md): {@code leadforge_analytics_rebuild_running},
 * {@code leadforge_analytics_rebuild_progress} (0..1 of the records to replay),
 * {@code leadforge_analytics_rebuild_records_replayed} / {@code _records_total} per topic, and
 * {@code leadforge_analytics_rebuilds_finished_total} per final state.
 */
@ApplicationScoped
public class RebuildMetrics {

    private final MeterRegistry registry;
    private final AtomicLong running = new AtomicLong();
    /** Progress in millionths, so that a gauge of a long carries a fraction. */
    private final AtomicLong progressPpm = new AtomicLong();
    private final Map<String, AtomicLong> replayed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();

    public RebuildMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("leadforge.analytics.rebuild.running", running);
        registry.gauge("leadforge.analytics.rebuild.progress", progressPpm, ppm -> ppm.get() / 1_000_000.0);
    }

    void started() {
        running.set(1);
        progressPpm.set(0);
        replayed.values().forEach(value -> value.set(0));
        totals.values().forEach(value -> value.set(0));
    }

    void progress(Map<String, Long> replayedByTopic, Map<String, Long> totalByTopic) {
        long sumReplayed = 0;
        long sumTotal = 0;
        for (Map.Entry<String, Long> topic : totalByTopic.entrySet()) {
            long done = replayedByTopic.getOrDefault(topic.getKey(), 0L);
            gauge(totals, "leadforge.analytics.rebuild.records.total", topic.getKey()).set(topic.getValue());
            gauge(replayed, "leadforge.analytics.rebuild.records.replayed", topic.getKey()).set(done);
            sumReplayed += done;
            sumTotal += topic.getValue();
        }
        progressPpm.set(sumTotal == 0 ? 0 : Math.min(1_000_000, sumReplayed * 1_000_000 / sumTotal));
    }

    void finished(String state) {
        running.set(0);
        if (RebuildStatus.COMPLETED.equals(state)) {
            progressPpm.set(1_000_000);
        }
        registry.counter("leadforge.analytics.rebuilds.finished", "state", state).increment();
    }

    private AtomicLong gauge(Map<String, AtomicLong> gauges, String name, String topic) {
        return gauges.computeIfAbsent(topic, t -> registry.gauge(name, io.micrometer.core.instrument.Tags.of(
                "topic", t), new AtomicLong()));
    }
}
