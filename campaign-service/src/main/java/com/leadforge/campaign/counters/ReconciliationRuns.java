package com.leadforge.campaign.counters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.shared.problem.ProblemException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs reconciliations in the background, one at a time per service instance (single flight): a replay reads the
 * whole lead topic, so two at once would only compete for the broker, the database and memory. Asking again while
 * the caller's own agency is being reconciled joins the running one; while another agency's runs, the answer is a 409.
 * Finished runs stay readable (by their agency only) until {@code leadforge.reconcile.history} newer ones have
 * finished, and are forgotten on restart.
 */
@ApplicationScoped
public class ReconciliationRuns {

    private static final Logger LOG = Logger.getLogger(ReconciliationRuns.class);

    /** What {@link #start} did: a new run, or the caller's agency's run that was already going. */
    public record Started(ReconciliationRun run, boolean joined) {
    }

    private final ReconciliationService reconciliation;
    private final int history;
    private final AtomicReference<ReconciliationRun> running = new AtomicReference<>();
    private final Map<UUID, ReconciliationRun> runs = new LinkedHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "campaign-reconciliation");
        thread.setDaemon(true);
        return thread;
    });

    public ReconciliationRuns(ReconciliationService reconciliation,
            @ConfigProperty(name = "leadforge.reconcile.history", defaultValue = "20") int history) {
        this.reconciliation = reconciliation;
        this.history = Math.max(1, history);
    }

    public Started start(String agencyId, String actor) {
        ReconciliationRun run = new ReconciliationRun(agencyId, actor);
        if (!running.compareAndSet(null, run)) {
            ReconciliationRun current = running.get();
            if (current != null && current.agencyId().equals(agencyId)) {
                return new Started(current, true);
            }
            throw ProblemException.conflict(
                    "Another reconciliation is running on this service; try again when it has finished");
        }
        remember(run);
        try {
            worker.execute(() -> {
                try {
                    reconciliation.reconcile(run);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Reconciliation %s of agency %s failed unexpectedly", run.id(), agencyId);
                    run.failed(com.leadforge.shared.problem.ProblemType.INTERNAL,
                            "The reconciliation failed; the counters were left as they were");
                } finally {
                    running.compareAndSet(run, null);
                }
            });
        } catch (RejectedExecutionException e) {
            running.compareAndSet(run, null);
            throw e;
        }
        return new Started(run, false);
    }

    /** The run, if it exists and belongs to {@code agencyId} (another agency's run looks exactly like a missing one). */
    public Optional<ReconciliationRun> find(UUID id, String agencyId) {
        synchronized (runs) {
            return Optional.ofNullable(runs.get(id)).filter(run -> run.agencyId().equals(agencyId));
        }
    }

    /** Keeps the run; forgets the oldest finished ones beyond the history bound. */
    private void remember(ReconciliationRun run) {
        synchronized (runs) {
            runs.put(run.id(), run);
            var oldest = runs.values().iterator();
            while (runs.size() > history + 1 && oldest.hasNext()) {
                if (!oldest.next().running()) {
                    oldest.remove();
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
