package com.leadforge.scraping.importing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.leadforge.scraping.job.JobCompletion;
import com.leadforge.scraping.job.JobEvents;
import com.leadforge.scraping.job.JobLog;
import com.leadforge.scraping.job.ScrapingJob;
import com.leadforge.shared.events.BatchImportedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Keeps each job's counts from lead-service's per-batch import results (each result applied once: the inbox), logs the
 * records that were not imported, and completes the job once the last batch is answered for.
 */
@ApplicationScoped
public class ImportResultsProjector implements EventHandler {

    static final String CONSUMER = "scraping.import-results";
    /** Duplicates are common and harmless: one log line per batch names at most this many of them. */
    static final int DUPLICATES_NAMED_PER_BATCH = 20;

    private final JobCompletion completion;
    private final JobEvents events;

    public ImportResultsProjector(JobCompletion completion, JobEvents events) {
        this.completion = completion;
        this.events = events;
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.LEAD_EVENTS);
    }

    @Override
    public boolean handles(String type) {
        return EventType.LEAD_IMPORT_BATCH_IMPORTED.type().equals(type);
    }

    @Override
    public void apply(IncomingEvent event) {
        BatchImportedEvent result = event.data(BatchImportedEvent.class);
        if (result.jobId() == null || result.batchSeq() < 1 || result.imported() < 0 || result.duplicates() < 0
                || result.rejected() < 0 || result.agencyId() == null
                || !result.agencyId().equalsIgnoreCase(event.agencyId())) {
            throw new PoisonEventException("Import result " + event.id() + " is incomplete or foreign");
        }
        ScrapingJob job = ScrapingJob.findById(result.jobId(), LockModeType.PESSIMISTIC_WRITE);
        if (job == null) {
            throw new PoisonEventException("Import result " + event.id() + " names a job this agency does not have");
        }
        Instant now = Instant.now();
        long answered = (long) result.imported() + result.duplicates() + result.rejected();
        job.batchesReported++;
        job.recordsProcessed += answered;
        job.recordsImported += result.imported();
        job.recordsDuplicate += result.duplicates();
        job.recordsRejected += result.rejected();
        job.updatedAt = now;
        logOutcomes(job, result);
        int before = job.progress;
        job.updateProgress();
        if (!completion.completeIfDone(job, now) && job.progress != before) {
            events.append(EventType.SCRAPING_JOB_PROGRESSED, job, "system", now);
        }
    }

    private static void logOutcomes(ScrapingJob job, BatchImportedEvent result) {
        List<Long> duplicates = new ArrayList<>();
        for (BatchImportedEvent.RecordOutcome outcome : result.outcomes() == null
                ? List.<BatchImportedEvent.RecordOutcome>of() : result.outcomes()) {
            if (BatchImportedEvent.REJECTED.equals(outcome.outcome())) {
                Map<String, Object> details = new java.util.LinkedHashMap<>();
                details.put("seq", outcome.seq());
                details.put("reason", outcome.reason());
                if (outcome.field() != null) {
                    details.put("field", outcome.field());
                }
                JobLog.writeDetail(job.id, JobLog.Level.WARNING, "Record " + outcome.seq() + " rejected: "
                        + outcome.reason() + (outcome.field() == null ? "" : " (" + outcome.field() + ")"), details);
            } else if (BatchImportedEvent.DUPLICATE.equals(outcome.outcome())
                    && duplicates.size() < DUPLICATES_NAMED_PER_BATCH) {
                duplicates.add(outcome.seq());
            }
        }
        JobLog.write(job.id, JobLog.Level.INFO, "Batch " + result.batchSeq() + " imported: " + result.imported()
                + " new, " + result.duplicates() + " duplicates, " + result.rejected() + " rejected",
                duplicates.isEmpty() ? null : Map.of("duplicate_records", duplicates));
    }
}
