package com.leadforge.campaign.counters;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.leadforge.shared.problem.ProblemType;

/**
 * One reconciliation of one agency, as its status resource shows it: running (replaying the topic, then repairing),
 * then succeeded with its report or failed with a problem type and detail. Written by the worker thread, read by
 * requests: every field is safe to read while it runs.
 */
public final class ReconciliationRun {

    public enum State {
        RUNNING, SUCCEEDED, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Phase {
        QUEUED, REPLAYING, REPAIRING, DONE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Records of the topic read so far (of every agency: the topic is not partitioned by agency) and to read. */
    public record Progress(long recordsRead, long recordsTotal, long leadsReplayed) {
    }

    /** Why a run failed, as a problem type and a detail for people. */
    public record Failure(String type, String detail) {
    }

    /** The JSON of {@code GET /api/v1/campaigns/reconcile/{id}}. */
    public record Status(UUID id, State status, Phase phase, Instant startedAt, Instant finishedAt, Progress progress,
            ReconciliationService.Report result, Failure error) {
    }

    private final UUID id = UUID.randomUUID();
    private final String agencyId;
    private final String requestedBy;
    private final Instant startedAt = Instant.now();
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong recordsTotal = new AtomicLong();
    private final AtomicLong leadsReplayed = new AtomicLong();
    private volatile State state = State.RUNNING;
    private volatile Phase phase = Phase.QUEUED;
    private volatile Instant finishedAt;
    private volatile ReconciliationService.Report result;
    private volatile Failure failure;

    ReconciliationRun(String agencyId, String requestedBy) {
        this.agencyId = agencyId;
        this.requestedBy = requestedBy;
    }

    public UUID id() {
        return id;
    }

    public String agencyId() {
        return agencyId;
    }

    public String requestedBy() {
        return requestedBy;
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    public String location() {
        return "/api/v1/campaigns/reconcile/" + id;
    }

    void phase(Phase phase) {
        this.phase = phase;
    }

    /** Progress of the replay; a retried attempt starts counting again. */
    void progress(long read, long total, long leads) {
        recordsRead.set(read);
        recordsTotal.set(total);
        leadsReplayed.set(leads);
    }

    void succeeded(ReconciliationService.Report report) {
        result = report;
        leadsReplayed.set(report.leadsReplayed());
        finish(State.SUCCEEDED);
    }

    void failed(ProblemType type, String detail) {
        failure = new Failure(type.uri(), detail);
        finish(State.FAILED);
    }

    private void finish(State outcome) {
        finishedAt = Instant.now();
        phase = Phase.DONE;
        state = outcome;
    }

    public Status status() {
        return new Status(id, state, phase, startedAt, finishedAt,
                new Progress(recordsRead.get(), recordsTotal.get(), leadsReplayed.get()), result, failure);
    }
}
