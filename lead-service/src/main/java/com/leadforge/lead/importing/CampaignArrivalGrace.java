package com.leadforge.lead.importing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How long an import waits for a campaign the replica has not seen. Campaign events and record batches travel on
 * different topics, so a batch may arrive before its campaign's creation (a transient state: the batch is retried);
 * but another agency's campaign or an id that never existed looks exactly the same and would never arrive, holding
 * the batch's partition for ever. So an unseen campaign is waited for at most {@code leadforge.import.campaign-grace}
 * from the first time this instance needed it, then treated as not open. The clock is per agency and campaign (every
 * later batch naming it is refused at once) and is dropped as soon as the campaign is seen.
 */
@ApplicationScoped
public class CampaignArrivalGrace {

    /** Beyond this many remembered campaigns, the ones whose grace ended long ago are forgotten. */
    private static final int MAX_REMEMBERED = 10_000;

    private final Duration grace;
    private final Map<String, Instant> unseenSince = new ConcurrentHashMap<>();

    public CampaignArrivalGrace(
            @ConfigProperty(name = "leadforge.import.campaign-grace", defaultValue = "2m") Duration grace) {
        this.grace = grace;
    }

    /** True while an unseen campaign is still worth waiting for; starts its clock on the first call. */
    public boolean stillWaiting(String agencyId, UUID campaignId) {
        Instant now = Instant.now();
        if (unseenSince.size() > MAX_REMEMBERED) {
            Instant forgetBefore = now.minus(grace.multipliedBy(10));
            unseenSince.values().removeIf(since -> since.isBefore(forgetBefore));
        }
        Instant since = unseenSince.computeIfAbsent(key(agencyId, campaignId), key -> now);
        return Duration.between(since, now).compareTo(grace) < 0;
    }

    /** The replica knows the campaign now (open or not): nothing more to wait for. */
    public void seen(String agencyId, UUID campaignId) {
        unseenSince.remove(key(agencyId, campaignId));
    }

    private static String key(String agencyId, UUID campaignId) {
        return agencyId + '/' + campaignId;
    }
}
