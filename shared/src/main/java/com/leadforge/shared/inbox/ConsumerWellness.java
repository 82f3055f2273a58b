package com.leadforge.shared.inbox;

import java.time.Duration;
import java.util.Comparator;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Event consumption at a glance ({@code /q/health/well}): per partition the last applied offset, the lag the Kafka
 * client reports and, for a record being retried, since when and why. DOWN once a record has been retrying longer than
 * {@code leadforge.events.unwell-after}. Deliberately not a readiness check: the API keeps serving while consumers wait
 * for a database or a broker, and the outbox/inbox catch up afterwards.
 */
@Wellness
@ApplicationScoped
public class ConsumerWellness implements HealthCheck {

    private static final String LAG_METER = "kafka.consumer.fetch.manager.records.lag";

    private final ConsumerStates states;
    private final MeterRegistry registry;
    private final Duration unwellAfter;

    public ConsumerWellness(ConsumerStates states, MeterRegistry registry,
            @ConfigProperty(name = "leadforge.events.unwell-after", defaultValue = "60s") Duration unwellAfter) {
        this.states = states;
        this.registry = registry;
        this.unwellAfter = unwellAfter;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("event-consumers");
        states.snapshot().values().stream()
                .sorted(Comparator.comparing(ConsumerStates.PartitionState::consumer)
                        .thenComparing(ConsumerStates.PartitionState::topic)
                        .thenComparingInt(ConsumerStates.PartitionState::partition))
                .forEach(p -> {
                    String key = p.consumer() + " " + p.topic() + "-" + p.partition();
                    String value = p.retrying() == null
                            ? "applied offset " + p.lastAppliedOffset() + " at " + p.lastAppliedAt()
                            : "retrying offset " + p.retrying().offset() + " since " + p.retrying().since() + " ("
                                    + p.retrying().attempts() + " attempts): " + p.retrying().lastError();
                    response.withData(key, value);
                });
        for (Gauge lag : registry.find(LAG_METER).gauges()) {
            String topic = lag.getId().getTag("topic");
            String partition = lag.getId().getTag("partition");
            double value = lag.value();
            if (topic != null && partition != null && !Double.isNaN(value)) {
                response.withData("lag " + topic + "-" + partition, (long) value);
            }
        }
        Duration longest = states.longestRetry();
        response.withData("longest retry seconds", longest.toSeconds());
        return response.status(longest.compareTo(unwellAfter) < 0).build();
    }
}
