package com.leadforge.lead.lead;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What each class of lead read may cost. Lists get a statement budget; the expensive classes — full searches and
 * exports — also get a bulkhead, a bounded number running at once per replica, so that one agency's heavy searches
 * can never hold every pooled connection: past the bulkhead a request waits briefly, then is answered 503 with
 * Retry-After, and the lists and single reads beside it keep their connections.
 */
@ApplicationScoped
public class QueryLimits {

    private final Semaphore searches;
    private final Semaphore exports;
    private final long waitMillis;
    private final int listTimeout;
    private final int searchTimeout;
    private final int countTimeout;
    private final int searchWindow;
    private final int exactTotalUpTo;
    private final Counter rejectedSearches;
    private final Counter rejectedExports;
    private final Counter windowHits;
    private final Counter windowMisses;

    public QueryLimits(MeterRegistry meters,
            @ConfigProperty(name = "leadforge.leads.search.max-concurrent", defaultValue = "4") int maxSearches,
            @ConfigProperty(name = "leadforge.leads.export.max-concurrent", defaultValue = "2") int maxExports,
            @ConfigProperty(name = "leadforge.leads.bulkhead.wait", defaultValue = "500ms")
            java.time.Duration wait,
            @ConfigProperty(name = "leadforge.leads.list.timeout-seconds", defaultValue = "3") int listTimeout,
            @ConfigProperty(name = "leadforge.leads.search.timeout-seconds", defaultValue = "5") int searchTimeout,
            @ConfigProperty(name = "leadforge.leads.count.timeout-seconds", defaultValue = "1") int countTimeout,
            @ConfigProperty(name = "leadforge.leads.search.window", defaultValue = "2000") int searchWindow,
            @ConfigProperty(name = "leadforge.leads.total.exact-up-to", defaultValue = "10000") int exactTotalUpTo) {
        this.searches = new Semaphore(Math.max(1, maxSearches), true);
        this.exports = new Semaphore(Math.max(1, maxExports), true);
        this.waitMillis = wait.toMillis();
        this.listTimeout = Math.max(1, listTimeout);
        this.searchTimeout = Math.max(1, searchTimeout);
        this.countTimeout = Math.max(1, countTimeout);
        this.searchWindow = Math.max(100, searchWindow);
        this.exactTotalUpTo = Math.max(0, exactTotalUpTo);
        this.rejectedSearches = Counter.builder("leadforge.leads.bulkhead.rejections").tag("class", "search")
                .register(meters);
        this.rejectedExports = Counter.builder("leadforge.leads.bulkhead.rejections").tag("class", "export")
                .register(meters);
        this.windowHits = Counter.builder("leadforge.leads.search.window").tag("outcome", "answered").register(meters);
        this.windowMisses = Counter.builder("leadforge.leads.search.window").tag("outcome", "full_search")
                .register(meters);
    }

    /** Whether a search was answered from its window or needed the full search (how well the window is sized). */
    void windowed(boolean answered) {
        (answered ? windowHits : windowMisses).increment();
    }

    /** Runs a full search inside the search bulkhead. */
    public <T> T search(Supplier<T> work) {
        enter(searches, rejectedSearches, "searches");
        try {
            return work.get();
        } finally {
            searches.release();
        }
    }

    /** Takes an export slot; the caller releases it with {@link #exportDone()} once the stream has ended. */
    public void exportStarting() {
        enter(exports, rejectedExports, "exports");
    }

    public void exportDone() {
        exports.release();
    }

    private void enter(Semaphore bulkhead, Counter rejected, String what) {
        boolean entered;
        try {
            entered = bulkhead.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            entered = false;
        }
        if (!entered) {
            rejected.increment();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "Too many " + what + " are running right now; retry shortly");
        }
    }

    public int listTimeout() {
        return listTimeout;
    }

    public int searchTimeout() {
        return searchTimeout;
    }

    public int countTimeout() {
        return countTimeout;
    }

    public int searchWindow() {
        return searchWindow;
    }

    public int exactTotalUpTo() {
        return exactTotalUpTo;
    }
}
