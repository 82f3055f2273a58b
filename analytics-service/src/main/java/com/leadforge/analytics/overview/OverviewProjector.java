package com.leadforge.analytics.overview;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.leadforge.analytics.grant.ClientGrants;
import com.leadforge.shared.events.CampaignClientGrantedEvent;
import com.leadforge.shared.events.CampaignClientRevokedEvent;
import com.leadforge.shared.events.CampaignCreatedEvent;
import com.leadforge.shared.events.CampaignDeletedEvent;
import com.leadforge.shared.events.CampaignStatusChangedEvent;
import com.leadforge.shared.events.CampaignUpdatedEvent;
import com.leadforge.shared.events.DataSourceChangedEvent;
import com.leadforge.shared.events.DataSourceCreatedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadCreatedEvent;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Applies events to the overview read model. The shared consumer applies each event once: the inbox row and the counter
 * change commit in one transaction. Counters are updated with single upserts so concurrent partitions of the same
 * agency never lose an increment.
 */
@ApplicationScoped
public class OverviewProjector implements EventHandler {

    static final String CONSUMER = "analytics.overview";

    private static final String LEAD_EVENT_PREFIX = "leadforge.lead.";

    /** The part of any lead event this projector reads; other fields of the event data are ignored. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    record LeadEventData(LeadSnapshot lead, Instant createdAt, String source) {
    }

    private final EntityManager entityManager;
    private final LeadStateProjection leadStates;
    private final CampaignStateProjection campaignStates;
    private final ScrapingStateProjection scrapingStates;
    private final ClientGrants clientGrants;

    public OverviewProjector(EntityManager entityManager, LeadStateProjection leadStates,
            CampaignStateProjection campaignStates, ScrapingStateProjection scrapingStates, ClientGrants clientGrants) {
        this.entityManager = entityManager;
        this.leadStates = leadStates;
        this.campaignStates = campaignStates;
        this.scrapingStates = scrapingStates;
        this.clientGrants = clientGrants;
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.LEAD_EVENTS, Topics.CAMPAIGN_EVENTS, Topics.SCRAPING_EVENTS);
    }

    /**
     * Everything but the bulk payloads of an import: the record batches and their per-batch results count nothing
     * here (the leads they create arrive as lead events, the job's figures as scraping_job events).
     */
    @Override
    public boolean handles(String type) {
        return !EventType.SCRAPING_JOB_RECORDS_SCRAPED.type().equals(type)
                && !EventType.LEAD_IMPORT_BATCH_IMPORTED.type().equals(type);
    }

    @Override
    public void apply(IncomingEvent event) {
        applyOne(event);
        bumpVersion(event.agencyId());
    }

    private void applyOne(IncomingEvent event) {
        EventType type = EventType.fromType(event.type()).orElse(null);
        if (event.type().startsWith(LEAD_EVENT_PREFIX)) {
            LeadEventData data = event.data(LeadEventData.class);
            if (data.lead() != null) {
                applyLeadSnapshot(event, type, data);
                return;
            }
        }
        if (type == null) {
            // The shared consumer dead-letters unknown types before they get here.
            return;
        }
        switch (type) {
            case LEAD_CREATED -> {
                // Events from before lead snapshots existed: count the creation only.
                LeadCreatedEvent lead = event.data(LeadCreatedEvent.class);
                increment(event.agencyId(), "leads_total");
                countCreation(event.agencyId(), lead.createdAt());
            }
            case CAMPAIGN_CREATED -> {
                CampaignCreatedEvent created = event.data(CampaignCreatedEvent.class);
                UUID id = requireId(event, created.campaignId());
                campaignStates.apply(event.agencyId(), id, created.status(), false, created.createdAt());
                campaignStates.describe(event.agencyId(), id, created.name(), created.createdAt(), true);
            }
            case CAMPAIGN_UPDATED -> {
                CampaignUpdatedEvent updated = event.data(CampaignUpdatedEvent.class);
                campaignStates.describe(event.agencyId(), requireId(event, updated.campaignId()), updated.name(),
                        requireTime(event, updated.occurredAt()), false);
            }
            case CAMPAIGN_CLIENT_GRANTED -> {
                CampaignClientGrantedEvent granted = event.data(CampaignClientGrantedEvent.class);
                clientGrants.apply(event.agencyId(), requireId(event, granted.campaignId()),
                        requireText(event, granted.userId(), 255), true, requireVersion(event, granted.version()));
            }
            case CAMPAIGN_CLIENT_REVOKED -> {
                CampaignClientRevokedEvent revoked = event.data(CampaignClientRevokedEvent.class);
                clientGrants.apply(event.agencyId(), requireId(event, revoked.campaignId()),
                        requireText(event, revoked.userId(), 255), false, requireVersion(event, revoked.version()));
            }
            case CAMPAIGN_STATUS_CHANGED -> {
                CampaignStatusChangedEvent changed = event.data(CampaignStatusChangedEvent.class);
                campaignStates.apply(event.agencyId(), requireId(event, changed.campaignId()), changed.newStatus(),
                        false, changed.occurredAt());
            }
            case CAMPAIGN_DELETED -> {
                CampaignDeletedEvent deleted = event.data(CampaignDeletedEvent.class);
                campaignStates.apply(event.agencyId(), requireId(event, deleted.campaignId()), deleted.status(), true,
                        deleted.occurredAt());
            }
            case DATA_SOURCE_CREATED -> {
                DataSourceCreatedEvent created = event.data(DataSourceCreatedEvent.class);
                scrapingStates.dataSource(event.agencyId(), requireId(event, created.dataSourceId()),
                        requireText(event, created.status()), false, requireTime(event, created.createdAt()), true);
            }
            case DATA_SOURCE_UPDATED, DATA_SOURCE_TESTED, DATA_SOURCE_DELETED -> {
                DataSourceChangedEvent changed = event.data(DataSourceChangedEvent.class);
                scrapingStates.dataSource(event.agencyId(), requireId(event, changed.dataSourceId()),
                        requireText(event, changed.status()), type == EventType.DATA_SOURCE_DELETED,
                        requireTime(event, changed.occurredAt()), false);
            }
            case SCRAPING_JOB_CREATED, SCRAPING_JOB_STARTED, SCRAPING_JOB_PROGRESSED, SCRAPING_JOB_PAUSED,
                    SCRAPING_JOB_RESUMED, SCRAPING_JOB_COMPLETED, SCRAPING_JOB_FAILED, SCRAPING_JOB_CANCELLED -> {
                ScrapingJobEvent job = event.data(ScrapingJobEvent.class);
                scrapingStates.job(event.agencyId(), requireId(event, job.jobId()), requireText(event, job.status()),
                        Math.max(0, job.recordsProcessed()), requireTime(event, job.occurredAt()));
                scrapingStates.describeJob(event.agencyId(), job, type == EventType.SCRAPING_JOB_CREATED);
            }
            default -> {
                // Event types this read model does not use.
            }
        }
    }

    /**
     * The same effect as {@link #apply} on each event in order, with the lead snapshots applied as a set (one lock
     * round, one counter update, one creation count per day): lead counters only add up, so applying the other events
     * first changes nothing of the outcome.
     */
    @Override
    public void applyAll(List<IncomingEvent> events, Runnable settle) {
        String agencyId = events.get(0).agencyId();
        List<LeadStateProjection.LeadChange> snapshots = new ArrayList<>();
        Map<LocalDate, Long> creations = new TreeMap<>();
        for (IncomingEvent event : events) {
            if (event.type().startsWith(LEAD_EVENT_PREFIX)) {
                LeadEventData data = event.data(LeadEventData.class);
                if (data.lead() != null) {
                    snapshots.add(change(event, data));
                    if (EventType.LEAD_CREATED.type().equals(event.type())) {
                        creations.merge(dayOf(data.createdAt() != null ? data.createdAt() : data.lead().changedAt()),
                                1L, Long::sum);
                    }
                    continue;
                }
            }
            applyOne(event);
            settle.run();
        }
        leadStates.applyAll(agencyId, snapshots);
        creations.forEach((day, count) -> countCreations(agencyId, day, count));
        bumpVersion(agencyId);
    }

    /**
     * Marks the agency's analytics as changed, in the transaction of the change: cached answers are keyed by this
     * value, so they are invalidated by the events that change them, on every replica.
     */
    private void bumpVersion(String agencyId) {
        entityManager.createNativeQuery("""
                insert into analytics_version (agency_id, version)
                values (:agency, (extract(epoch from clock_timestamp()) * 1000000)::bigint)
                on conflict (agency_id) do update set version = greatest(analytics_version.version + 1,
                    (extract(epoch from clock_timestamp()) * 1000000)::bigint)""")
                .setParameter("agency", agencyId)
                .executeUpdate();
    }

    private static String requireText(IncomingEvent event, String value) {
        return requireText(event, value, 20);
    }

    private static long requireVersion(IncomingEvent event, Long version) {
        if (version == null) {
            throw new PoisonEventException("Event " + event.id() + " carries no version");
        }
        return version;
    }

    private static String requireText(IncomingEvent event, String value, int maxLength) {
        if (value == null || value.isBlank() || value.length() > maxLength) {
            throw new PoisonEventException("Event " + event.id() + " carries no valid status");
        }
        return value;
    }

    private static Instant requireTime(IncomingEvent event, Instant value) {
        if (value == null) {
            throw new PoisonEventException("Event " + event.id() + " carries no time");
        }
        return value;
    }

    private static java.util.UUID requireId(IncomingEvent event, java.util.UUID id) {
        if (id == null) {
            throw new PoisonEventException("Event " + event.id() + " names no aggregate");
        }
        return id;
    }

    private void applyLeadSnapshot(IncomingEvent event, EventType type, LeadEventData data) {
        LeadStateProjection.LeadChange change = change(event, data);
        LeadSnapshot lead = change.lead();
        leadStates.applyAll(event.agencyId(), List.of(change));
        if (type == EventType.LEAD_CREATED) {
            countCreation(event.agencyId(), data.createdAt() != null ? data.createdAt() : lead.changedAt());
        }
    }

    /** The snapshot, and for lead.created the creation time and source the buckets are keyed by. */
    private static LeadStateProjection.LeadChange change(IncomingEvent event, LeadEventData data) {
        LeadSnapshot lead = requireSnapshot(event, data.lead());
        if (!EventType.LEAD_CREATED.type().equals(event.type())) {
            return new LeadStateProjection.LeadChange(lead, null, null);
        }
        String source = data.source() == null ? "" : data.source().strip();
        // lead-service stores at most 100 characters; a longer one from elsewhere is cut, not poison.
        return new LeadStateProjection.LeadChange(lead, data.createdAt(),
                source.length() > 100 ? source.substring(0, 100) : source);
    }

    private static LeadSnapshot requireSnapshot(IncomingEvent event, LeadSnapshot lead) {
        if (lead.leadId() == null || lead.status() == null || lead.qualificationStatus() == null
                || !event.agencyId().equalsIgnoreCase(String.valueOf(lead.agencyId()))) {
            throw new PoisonEventException("Event " + event.id() + " carries an incomplete or foreign lead snapshot");
        }
        return lead;
    }

    private void countCreation(String agencyId, Instant createdAt) {
        countCreations(agencyId, dayOf(createdAt), 1);
    }

    private static LocalDate dayOf(Instant createdAt) {
        return (createdAt == null ? Instant.now() : createdAt).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    private void countCreations(String agencyId, LocalDate day, long count) {
        entityManager.createNativeQuery("""
                insert into agency_daily_leads (agency_id, day, created) values (:agency, :day, :count)
                on conflict (agency_id, day) do update set created = agency_daily_leads.created + excluded.created""")
                .setParameter("agency", agencyId)
                .setParameter("day", day)
                .setParameter("count", count)
                .executeUpdate();
    }

    private void increment(String agencyId, String column) {
        // column is one of three constants above, never input.
        entityManager.createNativeQuery("""
                insert into agency_overview (agency_id, %1$s, updated_at) values (:agency, 1, now())
                on conflict (agency_id) do update set %1$s = agency_overview.%1$s + 1, updated_at = now()"""
                .formatted(column))
                .setParameter("agency", agencyId)
                .executeUpdate();
    }
}
