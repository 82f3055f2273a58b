package com.leadforge.scraping.worker;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.scraping.connector.Connectors;
import com.leadforge.scraping.connector.ConnectorException;
import com.leadforge.scraping.connector.JobSource;
import com.leadforge.scraping.connector.ReadBatch;
import com.leadforge.scraping.connector.RecordReader;
import com.leadforge.scraping.credentials.CredentialVault;
import com.leadforge.scraping.datasource.DataSource;
import com.leadforge.scraping.job.JobCompletion;
import com.leadforge.scraping.job.JobEvents;
import com.leadforge.scraping.job.JobLog;
import com.leadforge.scraping.job.JobRuns;
import com.leadforge.scraping.job.JobStatus;
import com.leadforge.scraping.job.JobWakeUp;
import com.leadforge.scraping.job.ScrapingJob;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.tenancy.TenantContext;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;

/**
 * Runs scraping jobs: claims runnable jobs (a lease in {@code scraping_job_run}), reads each one's source batch by
 * batch from its checkpoint, and commits every batch's records event together with the checkpoint after it — so each
 * record is sent exactly once whatever happens to the worker. Before each commit the worker re-checks, under lock,
 * that it still holds the lease and the job is still running: a pause or cancel takes effect at that safe point, and
 * a worker whose lease another replica took over (it stalled, or was presumed dead) writes nothing more.
 * <p>
 * Bounded: at most {@code leadforge.jobs.max-running} jobs per replica, {@code leadforge.jobs.max-running-per-agency}
 * per agency across replicas, batches of {@code leadforge.jobs.batch-size} records.
 */
@ApplicationScoped
public class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);

    private final JobRuns runs;
    private final Connectors connectors;
    private final CredentialVault vault;
    private final OutboxWriter outbox;
    private final JobEvents events;
    private final JobCompletion completion;
    private final JobWakeUp wakeUp;
    private final int maxRunning;
    private final int maxPerAgency;
    private final int batchSize;
    private final Duration lease;
    private final Duration pollInterval;
    private final boolean enabled;
    private final String workerId;
    private final Semaphore slots;
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private ExecutorService jobThreads;
    private ScheduledExecutorService heartbeat;
    private Thread dispatcher;

    public JobWorker(JobRuns runs, Connectors connectors, CredentialVault vault, OutboxWriter outbox,
            JobEvents events, JobCompletion completion, JobWakeUp wakeUp, MeterRegistry meters,
            @ConfigProperty(name = "leadforge.jobs.max-running", defaultValue = "2") int maxRunning,
            @ConfigProperty(name = "leadforge.jobs.max-running-per-agency", defaultValue = "2") int maxPerAgency,
            @ConfigProperty(name = "leadforge.jobs.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "leadforge.jobs.lease", defaultValue = "30s") Duration lease,
            @ConfigProperty(name = "leadforge.jobs.poll-interval", defaultValue = "1s") Duration pollInterval,
            @ConfigProperty(name = "leadforge.jobs.worker-enabled", defaultValue = "true") boolean enabled) {
        this.runs = runs;
        this.connectors = connectors;
        this.vault = vault;
        this.outbox = outbox;
        this.events = events;
        this.completion = completion;
        this.wakeUp = wakeUp;
        this.maxRunning = Math.max(1, maxRunning);
        this.maxPerAgency = Math.max(1, maxPerAgency);
        this.batchSize = Math.max(1, Math.min(batchSize, 1000));
        this.lease = lease;
        this.pollInterval = pollInterval;
        this.enabled = enabled;
        // Unique per process: a restarted worker must not mistake its predecessor's leases for its own.
        this.workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
        this.slots = new Semaphore(this.maxRunning);
        meters.gauge("leadforge.scraping.jobs.running", running, Set::size);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("Scraping job worker disabled on this replica (leadforge.jobs.worker-enabled=false)");
            return;
        }
        jobThreads = Executors.newFixedThreadPool(maxRunning, named("scraping-job"));
        heartbeat = Executors.newSingleThreadScheduledExecutor(named("scraping-job-lease"));
        long renewEvery = Math.max(100, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        dispatcher = new Thread(this::dispatch, "scraping-job-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        wakeUp.signal();
        if (jobThreads != null) {
            jobThreads.shutdown();
            try {
                // Jobs stop at their next safe point and give their lease back for another replica.
                jobThreads.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heartbeat.shutdownNow();
        }
    }

    private void dispatch() {
        while (!stopping) {
            try {
                boolean claimed = false;
                if (slots.tryAcquire()) {
                    Optional<JobRuns.Claim> claim = Optional.empty();
                    try {
                        claim = inRequestContext(() -> QuarkusTransaction.requiringNew()
                                .call(() -> runs.claim(workerId, lease, maxPerAgency)));
                    } finally {
                        if (claim.isEmpty()) {
                            slots.release();
                        }
                    }
                    if (claim.isPresent()) {
                        claimed = true;
                        JobRuns.Claim job = claim.get();
                        running.add(job.jobId());
                        jobThreads.execute(() -> {
                            try {
                                run(job);
                            } finally {
                                running.remove(job.jobId());
                                slots.release();
                                wakeUp.signal();
                            }
                        });
                    }
                }
                if (!claimed) {
                    wakeUp.await(pollInterval.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Database unavailable and the like: try again after a pause, never give the dispatcher up.
                LOG.warnf("Claiming a scraping job failed, retrying: %s", e.getMessage());
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void renewLeases() {
        for (UUID jobId : running) {
            try {
                inRequestContext(() -> QuarkusTransaction.requiringNew().call(() -> runs.holdAndRenew(jobId, workerId,
                        lease)));
            } catch (RuntimeException e) {
                LOG.warnf("Renewing the lease of job %s failed: %s", jobId, e.getMessage());
            }
        }
    }

    /**
     * Runs the work in a request context of its own. Hibernate takes its tenant from the request-scoped resolver and
     * refuses to open a session without an active request context, even for the run queue's agency-free native SQL:
     * without this, claiming and lease renewal failed on every attempt and no job ever ran. No agency is entered, so
     * anything agency-owned stays invisible here (the tenant is "no agency" and row-level security shows nothing).
     */
    private static <T> T inRequestContext(java.util.concurrent.Callable<T> work) {
        ManagedContext requestContext = Arc.container().requestContext();
        if (requestContext.isActive()) {
            throw new IllegalStateException("The worker's threads never carry a request context of their own");
        }
        requestContext.activate();
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            requestContext.terminate();
        }
    }

    /** Runs one claimed job until it is exhausted, paused, cancelled, failed, taken over or the service stops. */
    private void run(JobRuns.Claim claim) {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        boolean giveLeaseBack = true;
        try {
            Arc.container().instance(TenantContext.class).get().enter(claim.agencyId(), "worker");
            JobSource source = QuarkusTransaction.requiringNew().call(() -> snapshot(claim.jobId()));
            if (source == null) {
                return;
            }
            try (RecordReader reader = connectors.forType(source.type()).open(source)) {
                boolean more = true;
                while (more && !stopping) {
                    ReadBatch batch = reader.next(batchSize);
                    more = QuarkusTransaction.requiringNew().call(() -> commit(claim.jobId(), source, batch));
                }
            }
        } catch (ConnectorException e) {
            LOG.warnf("Scraping job %s failed: %s", claim.jobId(), e.getMessage());
            failQuietly(claim.jobId(), e.getMessage());
        } catch (RuntimeException e) {
            // Not the source's fault (database down, a bug): keep the job running; the lease lapses and a worker
            // (this one or another) picks it up again from its checkpoint — after the lease, not in a tight loop.
            giveLeaseBack = false;
            LOG.errorf(e, "Scraping job %s stopped by an unexpected failure; it will be resumed from its checkpoint",
                    claim.jobId());
        } finally {
            if (giveLeaseBack) {
                releaseQuietly(claim.jobId());
            }
            requestContext.terminate();
        }
    }

    /** The job's source, or null when it is no longer running (then it also leaves the run queue). */
    private JobSource snapshot(UUID jobId) {
        ScrapingJob job = ScrapingJob.<ScrapingJob>findByIdOptional(jobId).orElse(null);
        if (job == null || job.status != JobStatus.RUNNING) {
            runs.dequeue(jobId);
            return null;
        }
        if (job.readerDone) {
            // Everything was sent before a pause or a restart: only the results are outstanding.
            if (!completion.completeIfDone(job, Instant.now())) {
                runs.dequeue(jobId);
            }
            return null;
        }
        DataSource source = DataSource.<DataSource>findByIdOptional(job.dataSourceId).orElseThrow();
        Map<String, Object> credentials = source.sealedCredentials == null ? Map.of()
                : vault.open(source.sealedCredentials, source.credentialContext());
        if (job.recordsRead == 0 && job.batchesSent == 0) {
            JobLog.write(job.id, JobLog.Level.INFO, "Worker started reading " + source.type.code() + " source", null);
        } else {
            JobLog.write(job.id, JobLog.Level.INFO, "Worker resumed at checkpoint " + job.checkpoint, null);
        }
        return new JobSource(job.id, job.agencyId, source.id, source.type, source.config, credentials,
                job.searchCriteria, job.config, job.checkpoint, job.uploadBytes);
    }

    /** Commits one batch and the checkpoint after it; false when the job must not go on (or is fully read). */
    private boolean commit(UUID jobId, JobSource source, ReadBatch batch) {
        // The job's row first, then its run row: the order every other writer (job actions, import results,
        // failQuietly) takes them in. The other way round deadlocked with a pause or a completion dequeuing the job.
        ScrapingJob job = ScrapingJob.findById(jobId, LockModeType.PESSIMISTIC_WRITE);
        if (job == null || job.status != JobStatus.RUNNING) {
            return false;
        }
        if (!runs.holdAndRenew(jobId, workerId, lease)) {
            return false; // taken over, paused or cancelled: the batch was not sent, the checkpoint did not move
        }
        Instant now = Instant.now();
        if (!batch.records().isEmpty()) {
            job.batchesSent++;
            outbox.append(EventType.SCRAPING_JOB_RECORDS_SCRAPED, job.agencyId, job.id, job.createdBy,
                    new ScrapedRecordsEvent(job.id, job.agencyId, job.dataSourceId, job.sourceType.code(),
                            job.campaignId, job.batchesSent, job.createdBy, batch.records()));
        }
        for (ReadBatch.Rejection rejection : batch.rejected()) {
            JobLog.writeDetail(job.id, JobLog.Level.WARNING,
                    "Record " + rejection.seq() + " rejected: " + rejection.reason(),
                    Map.of("seq", rejection.seq(), "reason", rejection.reason(), "detail", rejection.detail()));
        }
        job.recordsRead += batch.size();
        job.recordsProcessed += batch.rejected().size();
        job.recordsRejected += batch.rejected().size();
        job.checkpoint = batch.checkpoint();
        job.readFraction = batch.fractionRead();
        job.updatedAt = now;
        if (batch.exhausted()) {
            job.readerDone = true;
            JobLog.write(job.id, JobLog.Level.INFO, "Source fully read: " + job.recordsRead + " records in "
                    + job.batchesSent + " batches", null);
        }
        int before = job.progress;
        job.updateProgress();
        if (!completion.completeIfDone(job, now) && job.progress != before) {
            events.append(EventType.SCRAPING_JOB_PROGRESSED, job, "system", now);
        }
        if (batch.exhausted()) {
            runs.dequeue(job.id); // nothing left to read: the import results finish the job
            return false;
        }
        return true;
    }

    private void failQuietly(UUID jobId, String error) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                ScrapingJob job = ScrapingJob.findById(jobId, LockModeType.PESSIMISTIC_WRITE);
                if (job != null && runs.holdAndRenew(jobId, workerId, lease)) {
                    completion.fail(job, error, Instant.now());
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not mark job %s failed; it will be retried from its checkpoint", jobId);
        }
    }

    private void releaseQuietly(UUID jobId) {
        try {
            QuarkusTransaction.requiringNew().run(() -> runs.release(jobId, workerId));
        } catch (RuntimeException e) {
            // The lease then simply expires.
            LOG.debugf("Could not release the lease of job %s: %s", jobId, e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
