package com.leadforge.stack.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.leadforge.testsupport.Await;

/**
 * Sends one kind of request (create a lead, create a campaign, list) at a steady rate from a few client threads and
 * remembers the result of every acknowledged (2xx) one. A tick that finds every client busy is skipped rather than
 * queued, so a stalled service does not build up a backlog that floods it when it comes back.
 */
final class PacedWriter implements AutoCloseable {

    private final Supplier<String> request;
    private final long periodMicros;
    private final Semaphore clients;
    private final ExecutorService requests;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private ScheduledFuture<?> schedule;

    /** Leads created in {@code campaignId} through the gateway; results are the new leads' ids. */
    static PacedWriter leads(LeadForgeApi api, String campaignId, int perSecond, int clientThreads) {
        return new PacedWriter(() -> api.createLead(campaignId), perSecond, clientThreads);
    }

    /** {@code request} returns its result when acknowledged, null when it got no 2xx. */
    PacedWriter(Supplier<String> request, int perSecond, int clientThreads) {
        this.request = request;
        this.periodMicros = 1_000_000L / perSecond;
        this.clients = new Semaphore(clientThreads);
        this.requests = Executors.newFixedThreadPool(clientThreads);
    }

    /** Starts writing in the background; {@link #stop()} ends it. */
    PacedWriter start() {
        schedule = ticks.scheduleAtFixedRate(this::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
        return this;
    }

    /**
     * Writes for exactly {@code duration} — the fault's definition, not a wait for an outcome: the schedule keeps
     * writing until the deadline, then stops and the writes in flight finish.
     */
    PacedWriter writeFor(Duration duration) {
        if (schedule == null) {
            start();
        }
        try {
            schedule.get(duration.toNanos(), TimeUnit.NANOSECONDS);
            throw new IllegalStateException("the write schedule ended before its deadline");
        } catch (TimeoutException deadlineReached) {
            return stop();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the write schedule failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.CancellationException e) {
            return stop();
        }
    }

    private void tick() {
        if (!clients.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        inFlight.incrementAndGet();
        requests.execute(() -> {
            try {
                String id = request.get();
                if (id != null) {
                    acknowledged.add(id);
                } else {
                    refused.incrementAndGet();
                }
            } finally {
                inFlight.decrementAndGet();
                clients.release();
            }
        });
    }

    /** Stops writing and waits for the requests in flight (each is bounded by the client's timeout). */
    PacedWriter stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        Await.until("requests in flight to finish", Duration.ofSeconds(30), () -> inFlight.get() == 0);
        return this;
    }

    /** Acknowledged writes so far, in the order their answers arrived. */
    List<String> acknowledged() {
        return new ArrayList<>(acknowledged);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Requests that got no 2xx (an error status, or no answer at all). */
    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        ticks.shutdownNow();
        requests.shutdown();
    }
}
