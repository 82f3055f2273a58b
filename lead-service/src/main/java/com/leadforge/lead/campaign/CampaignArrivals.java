package com.leadforge.lead.campaign;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Read-your-writes for campaigns: a request naming a campaign the replica has not seen yet waits here, briefly, until
 * the consumer commits an event of that campaign. Campaign-service publishes a campaign's event right after its commit,
 * so a campaign created a moment ago (even 0 ms) arrives within milliseconds; an unknown or another agency's campaign
 * never arrives and is refused after the bounded wait, which keeps the answer the same for both. Waiters are few by
 * construction (a semaphore): beyond the bound a request is answered at once from what the replica knows.
 */
@ApplicationScoped
public class CampaignArrivals {

    private final Map<UUID, CountDownLatch> waiting = new ConcurrentHashMap<>();
    private final Semaphore waiters;
    private final Duration maxWait;

    public CampaignArrivals(
            @ConfigProperty(name = "leadforge.campaigns.arrival-wait", defaultValue = "2s") Duration maxWait,
            @ConfigProperty(name = "leadforge.campaigns.max-waiting-requests", defaultValue = "8") int maxWaiters) {
        this.maxWait = maxWait;
        this.waiters = new Semaphore(maxWaiters);
    }

    /** A registered expectation of one campaign; close it when done. */
    public final class Expectation implements AutoCloseable {
        private final UUID campaignId;
        private final CountDownLatch latch;

        private Expectation(UUID campaignId, CountDownLatch latch) {
            this.campaignId = campaignId;
            this.latch = latch;
        }

        /** Waits until an event of the campaign is committed to the replica; false after the bound or with no slot. */
        public boolean await() {
            if (latch == null) {
                return false;
            }
            try {
                return latch.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void close() {
            if (latch != null) {
                waiting.remove(campaignId, latch);
                waiters.release();
            }
        }
    }

    /**
     * Registers interest in {@code campaignId} before the caller looks again, so that an event committed in between is
     * not missed.
     */
    public Expectation expect(UUID campaignId) {
        if (!waiters.tryAcquire()) {
            return new Expectation(campaignId, null);
        }
        return new Expectation(campaignId, waiting.computeIfAbsent(campaignId, id -> new CountDownLatch(1)));
    }

    void arrived(UUID campaignId) {
        CountDownLatch latch = waiting.remove(campaignId);
        if (latch != null) {
            latch.countDown();
        }
    }
}
