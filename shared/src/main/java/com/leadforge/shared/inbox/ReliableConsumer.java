package com.leadforge.shared.inbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
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
 * still being retried is left unacknowledged, so it is delivered again after the restart. Each attempt runs in a
 * CONSUMER span continuing the producer's trace ({@link ConsumerTracing}).
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
    private final ConsumerTracing tracing;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final CountDownLatch stopping = new CountDownLatch(1);

    public ReliableConsumer(InboxGuard inbox, DeadLetters deadLetters, ConsumerStates states,
            ConsumerTracing tracing,
            @ConfigProperty(name = "leadforge.events.retry.initial-backoff", defaultValue = "100ms")
            Duration initialBackoff,
            @ConfigProperty(name = "leadforge.events.retry.max-backoff", defaultValue = "5s") Duration maxBackoff) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.states = states;
        this.tracing = tracing;
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

    /**
     * Applies the records of one poll through {@code handler}, returning once every one of them is committed, a
     * duplicate, skipped or dead-lettered. The records of each agency are applied in one transaction and one request
     * context (their inbox rows in one statement, then {@link EventHandler#applyAll} in record order): a busy topic
     * costs a commit per poll and agency instead of one per event. Events of one aggregate share a partition and an
     * agency, so their relative order is kept; different agencies' effects never touch the same rows. When that
     * transaction fails for any reason, nothing of it is committed and the agency's records are applied again one by
     * one through {@link #consume} — with its retries, and with poison dead-lettered alone.
     */
    public void consumeBatch(EventHandler handler, List<ConsumerRecord<String, String>> records) {
        String consumer = handler.consumerName();
        Map<String, List<Pending>> byAgency = new LinkedHashMap<>();
        Map<ConsumerRecord<String, String>, Outcome> settled = new IdentityHashMap<>();
        List<ConsumerRecord<String, String>> malformed = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            IncomingEvent event;
            try {
                event = wellFormed(record, handler);
            } catch (RuntimeException poison) {
                malformed.add(record);
                continue;
            }
            if (event == null) {
                settled.put(record, Outcome.SKIPPED);
                continue;
            }
            byAgency.computeIfAbsent(event.agencyId(), agency -> new ArrayList<>()).add(new Pending(record, event));
        }
        for (ConsumerRecord<String, String> record : malformed) {
            consume(handler, record); // dead-letters it, with the reason
        }
        for (List<Pending> agencyRecords : byAgency.values()) {
            applyTogether(handler, agencyRecords, settled);
        }
        for (ConsumerRecord<String, String> record : records) {
            Outcome outcome = settled.get(record);
            if (outcome != null) {
                states.finished(consumer, record.topic(), record.partition(), record.offset(), outcome);
            }
        }
    }

    /**
     * Applies {@code pending} in one transaction. Poison fails the whole set: it is halved until the poisoned record is
     * alone (a few extra attempts, not one transaction per record of a big poll). Any other failure (the database, a
     * conflict) hands the records to {@link #consume}, whose retries back off.
     */
    private void applyTogether(EventHandler handler, List<Pending> pending,
            Map<ConsumerRecord<String, String>, Outcome> settled) {
        try {
            settled.putAll(attemptTogether(handler, pending));
            return;
        } catch (RuntimeException failure) {
            if (pending.size() > 1 && FailureClassifier.isPoison(failure)) {
                int half = pending.size() / 2;
                applyTogether(handler, pending.subList(0, half), settled);
                applyTogether(handler, pending.subList(half, pending.size()), settled);
                return;
            }
            if (pending.size() > 1) {
                LOG.infof("%s: %d record(s) of agency %s could not be applied together (%s); applying them one by one",
                        handler.consumerName(), pending.size(), pending.get(0).event().agencyId(),
                        FailureClassifier.describe(failure));
            }
        }
        for (Pending one : pending) {
            consume(handler, one.record());
        }
    }

    private record Pending(ConsumerRecord<String, String> record, IncomingEvent event) {
    }

    private Map<ConsumerRecord<String, String>, Outcome> attemptTogether(EventHandler handler, List<Pending> pending) {
        ManagedContext requestContext = Arc.container().requestContext();
        if (requestContext.isActive()) {
            throw new IllegalStateException("An event attempt must run outside any request context");
        }
        ConsumerTracing.Batch trace = tracing.batch(handler.consumerName(),
                pending.stream().map(Pending::record).toList(), pending.stream().map(Pending::event).toList());
        requestContext.activate();
        try (Scope traced = trace.makeCurrent()) {
            IncomingEvent first = pending.get(0).event();
            Arc.container().instance(TenantContext.class).get().enter(first.agencyId(), "event:" + first.source());
            Map<ConsumerRecord<String, String>, Outcome> settled = QuarkusTransaction.requiringNew().call(() -> {
                Set<String> fresh = inbox.firstDeliveries(handler.consumerName(),
                        pending.stream().map(p -> p.event().id()).toList());
                Map<ConsumerRecord<String, String>, Outcome> outcomes = new IdentityHashMap<>();
                List<IncomingEvent> toApply = new ArrayList<>();
                Set<String> taken = new HashSet<>();
                for (Pending p : pending) {
                    // An id delivered twice in one poll applies once, at its first position.
                    if (fresh.contains(p.event().id()) && taken.add(p.event().id())) {
                        toApply.add(p.event());
                        outcomes.put(p.record(), Outcome.APPLIED);
                    } else {
                        outcomes.put(p.record(), Outcome.DUPLICATE);
                    }
                }
                if (!toApply.isEmpty()) {
                    handler.applyAll(toApply, inbox::settle);
                }
                return outcomes;
            });
            trace.outcomes(settled);
            return settled;
        } catch (RuntimeException failure) {
            trace.failed(failure);
            throw failure;
        } finally {
            requestContext.terminate();
            trace.end();
        }
    }

    /**
     * The record as an event {@code handler} has to apply; null for a well-formed event of a type it does not handle,
     * whose data is then not even parsed (a consumer skipping the bulk of a busy topic must not pay for reading it).
     * Poison otherwise.
     */
    private static IncomingEvent wellFormed(ConsumerRecord<String, String> record, EventHandler handler) {
        IncomingEvent event = IncomingEvent.from(record);
        if (EventType.fromType(event.type()).isEmpty()) {
            throw new PoisonEventException("Unknown event type or version " + abbreviate(event.type()));
        }
        if (!handler.handles(event.type())) {
            return null;
        }
        EventJson.requireObject(event.data());
        return event;
    }

    /** One attempt without retries, for re-driving dead letters: poison is reported, not dead-lettered again. */
    public Outcome applyOnce(EventHandler handler, ConsumerRecord<String, String> record) {
        return attempt(handler, record);
    }

    private Outcome attempt(EventHandler handler, ConsumerRecord<String, String> record) {
        IncomingEvent event;
        try {
            event = wellFormed(record, handler);
        } catch (RuntimeException poison) {
            tracing.poison(handler.consumerName(), record, poison);
            throw poison;
        }
        if (event == null) {
            return Outcome.SKIPPED;
        }
        ManagedContext requestContext = Arc.container().requestContext();
        if (requestContext.isActive()) {
            throw new IllegalStateException("An event attempt must run outside any request context");
        }
        Span span = tracing.record(handler.consumerName(), record, event);
        requestContext.activate();
        try (Scope traced = span.makeCurrent()) {
            Arc.container().instance(TenantContext.class).get().enter(event.agencyId(), "event:" + event.source());
            Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
                if (!inbox.firstDelivery(handler.consumerName(), event.id())) {
                    return Outcome.DUPLICATE;
                }
                handler.apply(event);
                return Outcome.APPLIED;
            });
            ConsumerTracing.outcome(span, outcome);
            return outcome;
        } catch (RuntimeException failure) {
            ConsumerTracing.failed(span, failure);
            throw failure;
        } finally {
            requestContext.terminate();
            span.end();
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
