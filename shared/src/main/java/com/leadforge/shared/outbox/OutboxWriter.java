package com.leadforge.shared.outbox;

import java.time.Instant;
import java.util.UUID;

import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.tracing.TraceContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Appends events to the outbox inside the caller's transaction, so that state and event commit or fail together, and
 * wakes the relay as soon as that transaction has committed (the relay's polling is only the safety net). Each row
 * keeps the trace context current at the write (the request's or the consuming event's span), read from memory: no
 * extra round trip.
 */
@ApplicationScoped
public class OutboxWriter {

    private static final Object WAKE_UP_REGISTERED = new Object();

    private final TransactionSynchronizationRegistry transactions;
    private final OutboxSignal signal;

    public OutboxWriter(TransactionSynchronizationRegistry transactions, OutboxSignal signal) {
        this.transactions = transactions;
        this.signal = signal;
    }

    @Transactional(TxType.MANDATORY)
    public OutboxEvent append(EventType type, String agencyId, Object aggregateId, String actor, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.id = UUID.randomUUID();
        event.agencyId = agencyId;
        event.aggregateType = type.aggregate();
        event.aggregateId = aggregateId.toString();
        event.eventType = type.type();
        event.topic = type.topic();
        event.actor = actor;
        event.payload = EventJson.write(data);
        event.createdAt = Instant.now();
        TraceContext.W3c trace = TraceContext.current();
        event.traceparent = trace.traceparent();
        event.tracestate = trace.tracestate();
        event.persist();
        wakeRelayAfterCommit();
        return event;
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getResource(WAKE_UP_REGISTERED) != null) {
            return;
        }
        transactions.putResource(WAKE_UP_REGISTERED, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    signal.wakeUp();
                }
            }
        });
    }
}
