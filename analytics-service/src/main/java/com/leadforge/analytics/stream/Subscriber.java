package com.leadforge.analytics.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * One open stream: who reads it (agency, user, roles, whether it is limited to granted campaigns), which job it
 * watches, where it is in the log, and its connection. Writes are asynchronous; at most {@code maxPending} may be
 * unaccepted by the connection at once, beyond which the reader is too slow and the stream is closed (it resumes from
 * its Last-Event-ID), so a stalled client can never make the replica buffer without bound.
 */
final class Subscriber {

    private static final Logger LOG = Logger.getLogger(Subscriber.class);

    final String agencyId;
    final String userId;
    final List<String> roles;
    final boolean grantedOnly;
    final UUID watchedJob;
    final Instant expiresAt;
    /** Advanced by the delivery thread only. */
    volatile StreamCursor cursor;

    private final SseEventSink sink;
    private final Sse sse;
    /** The stream's connection, for frames encoded once for all their readers (after the sink wrote the head). */
    private final HttpServerResponse connection;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Consumer<Subscriber> onClose;
    volatile ScheduledFuture<?> expiry;

    Subscriber(String agencyId, String userId, List<String> roles, boolean grantedOnly, UUID watchedJob,
            Instant expiresAt, StreamCursor cursor, SseEventSink sink, Sse sse, HttpServerResponse connection,
            int maxPending, Consumer<Subscriber> onClose) {
        this.agencyId = agencyId;
        this.userId = userId;
        this.roles = roles;
        this.grantedOnly = grantedOnly;
        this.watchedJob = watchedJob;
        this.expiresAt = expiresAt;
        this.cursor = cursor;
        this.sink = sink;
        this.sse = sse;
        this.connection = connection;
        this.maxPending = maxPending;
        this.onClose = onClose;
    }

    boolean isClosed() {
        return closed.get() || sink.isClosed() || connection.closed() || connection.ended();
    }

    void event(StreamCursor position, String kind, String json) {
        send(sse.newEventBuilder().id(position.toString()).name(kind).data(json).build());
    }

    /** One event as the text/event-stream format has it (a data line per line of {@code data}). */
    static byte[] encode(StreamCursor position, String kind, String data) {
        return ("id: " + position + "\nevent: " + kind + "\ndata: " + data.replace("\r\n", "\n").replace('\r', '\n')
                .replace("\n", "\ndata: ") + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    void comment(String text) {
        send(sse.newEventBuilder().comment(text).build());
    }

    /** Tells the reader why the stream ends, then closes it. */
    void end(String reason) {
        if (closed.get()) {
            return;
        }
        OutboundSseEvent last = sse.newEventBuilder().name("end").data("{\"reason\":\"" + reason + "\"}").build();
        try {
            // Writes are ordered on the connection: the event goes out before the end of the response.
            sink.send(last);
        } catch (RuntimeException e) {
            LOG.debugf("Could not say why a stream ends: %s", e.getMessage());
        }
        close();
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            ScheduledFuture<?> timer = expiry;
            if (timer != null) {
                timer.cancel(false);
            }
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.debugf("Closing a stream failed: %s", e.getMessage());
            }
            onClose.accept(this);
        }
    }

    /**
     * Writes {@code events} already encoded server-sent events at once, on the stream's connection: one write (one
     * chunk, one flush) however many events a delivery round has for this reader.
     */
    void sendEncoded(Buffer frames, int events) {
        write(events, () -> connection.write(frames).toCompletionStage());
    }

    private void send(OutboundSseEvent event) {
        write(1, () -> sink.send(event));
    }

    /** One write of {@code events} events, within the pending bound; a failed write closes the stream. */
    private void write(int events, Supplier<CompletionStage<?>> writer) {
        if (isClosed()) {
            close();
            return;
        }
        if (pending.addAndGet(events) > maxPending) {
            LOG.debugf("Stream of %s is %d events behind: closing it", userId, maxPending);
            pending.addAndGet(-events);
            // Nothing more can be written to it anyway: closing frees its slot at once.
            close();
            return;
        }
        try {
            writer.get().whenComplete((ignored, failure) -> {
                pending.addAndGet(-events);
                if (failure != null) {
                    close();
                }
            });
        } catch (RuntimeException e) {
            pending.addAndGet(-events);
            close();
        }
    }
}
