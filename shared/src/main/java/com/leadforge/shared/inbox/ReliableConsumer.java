package com.leadforge.shared.inbox;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.inbox.ConsumerStates.Outcome;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The one way LeadForge consumes events. Each attempt is a unit of work of its own: a fresh request context whose
 * tenant is the event's agency, and a new transaction in which the inbox row and the effect commit together (a retry
 * never re-runs inside a transaction that already failed). Transient failures are retried with capped exponential
 * backoff and without limit, holding the record's partition where it is so that order is kept and nothing is skipped;
 * only poison (unparseable, unknown type or version, no agency) goes to the dead-letter topic. On shutdown a record
 * still being retried is left unacknowledged, so it is delivered again after the restart.
 */
@ApplicationScoped
public class ReliableConsumer {

    private static final Logger LOG = Logger.getLogger(ReliableConsumer.class);

    /** Thrown to leave a record unacknowledged when the service stops while retrying it. */
    public static final class ConsumerStoppedException extends RuntimeException {
        ConsumerStoppedException() {
            super("Service stopping: record left unacknowledged for redelivery", null, false, false);
        }
    }

    private final InboxGuard inbox;
    private final DeadLetters deadLetters;
    private final ConsumerStates states;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final CountDownLatch stopping = new CountDownLatch(1);

    public ReliableConsumer(InboxGuard inbox, DeadLetters deadLetters, ConsumerStates states,
            @ConfigProperty(name = "leadforge.events.retry.initial-backoff", defaultValue = "100ms")
            Duration initialBackoff,
            @ConfigProperty(name = "leadforge.events.retry.max-backoff", defaultValue = "5s") Duration maxBackoff) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.states = states;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * Applies one record through {@code handler}, returning once its effect is committed, it proved a duplicate, or it is
     * safely on the dead-letter topic. Blocks (retrying) for as long as the failure is transient.
     */
    public Outcome consume(EventHandler handler, ConsumerRecord<String, String> record) {
        String consumer = handler.consumerName();
        for (int attempt = 1;; attempt++) {
            if (stopping.getCount() == 0) {
                states.abandoned(consumer, record.topic(), record.partition());
                throw new ConsumerStoppedException();
            }
            try {
                Outcome outcome = attempt(handler, record);
                if (attempt > 1) {
                    LOG.infof("%s applied %s-%d@%d after %d attempts", consumer, record.topic(), record.partition(),
                            record.offset(), attempt);
                }
                states.finished(consumer, record.topic(), record.partition(), record.offset(), outcome);
                return outcome;
            } catch (RuntimeException failure) {
                if (FailureClassifier.isPoison(failure)) {
                    deadLetter(handler, record, FailureClassifier.describe(failure));
                    return Outcome.DEAD_LETTERED;
                }
                String error = FailureClassifier.describe(failure);
                states.failedAttempt(consumer, record.topic(), record.partition(), record.offset(), error);
                if (attempt == 1 || attempt % 20 == 0) {
                    LOG.warnf("%s could not apply %s-%d@%d (attempt %d), retrying: %s", consumer, record.topic(),
                            record.partition(), record.offset(), attempt, error);
                }
                pause(backoff(attempt));
            }
        }
    }

    /** One attempt without retries, for re-driving dead letters: poison is reported, not dead-lettered again. */
    public Outcome applyOnce(EventHandler handler, ConsumerRecord<String, String> record) {
        return attempt(handler, record);
    }

    private Outcome attempt(EventHandler handler, ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        if (EventType.fromType(event.type()).isEmpty()) {
            throw new PoisonEventException("Unknown event type or version " + abbreviate(event.type()));
        }
        EventJson.requireObject(event.data());
        if (!handler.handles(event.type())) {
            return Outcome.SKIPPED;
        }
        ManagedContext requestContext = Arc.container().requestContext();
        if (requestContext.isActive()) {
            throw new IllegalStateException("An event attempt must run outside any request context");
        }
        requestContext.activate();
        try {
            Arc.container().instance(TenantContext.class).get().enter(event.agencyId(), "event:" + event.source());
            return QuarkusTransaction.requiringNew().call(() -> {
                if (!inbox.firstDelivery(handler.consumerName(), event.id())) {
                    return Outcome.DUPLICATE;
                }
                handler.apply(event);
                return Outcome.APPLIED;
            });
        } finally {
            requestContext.terminate();
        }
    }

    private void deadLetter(EventHandler handler, ConsumerRecord<String, String> record, String reason) {
        LOG.errorf("%s dead-letters %s-%d@%d: %s", handler.consumerName(), record.topic(), record.partition(),
                record.offset(), reason);
        for (int attempt = 1;; attempt++) {
            if (stopping.getCount() == 0) {
                states.abandoned(handler.consumerName(), record.topic(), record.partition());
                throw new ConsumerStoppedException();
            }
            try {
                deadLetters.send(handler.consumerName(), record, reason);
                states.finished(handler.consumerName(), record.topic(), record.partition(), record.offset(),
                        Outcome.DEAD_LETTERED);
                return;
            } catch (RuntimeException e) {
                states.failedAttempt(handler.consumerName(), record.topic(), record.partition(), record.offset(),
                        "dead-letter topic unavailable: " + FailureClassifier.describe(e));
                pause(backoff(attempt));
            }
        }
    }

    private Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(Math.max(base, 1), maxBackoff.toMillis());
        // +-20% jitter so that consumers of a shared database do not retry in lock step.
        return Duration.ofMillis((long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping.countDown();
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120);
    }
}
