package com.leadforge.analytics.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.leadforge.analytics.grant.ClientGrants;
import com.leadforge.analytics.notification.NewNotification;
import com.leadforge.analytics.notification.NotificationWriter;
import com.leadforge.analytics.stream.StreamLog;
import com.leadforge.shared.events.CampaignDeletedEvent;
import com.leadforge.shared.events.CampaignStatusChangedEvent;
import com.leadforge.shared.events.DataSourceChangedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.shared.events.ScrapingJobLoggedEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;
import com.leadforge.shared.tenancy.Roles;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns events into notifications and live-stream rows, in the transaction that records them in its own inbox
 * ({@value #CONSUMER}): a notification and its stream row exist exactly once per event. Notifications additionally
 * carry their source event id (unique per addressee), so a replay after the inbox forgot an event adds nothing, and
 * events older than the retention windows produce nothing (a replay from offset 0 must not flood anyone).
 */
@ApplicationScoped
public class LiveUpdatesHandler implements EventHandler {

    public static final String CONSUMER = "analytics.live";

    private static final String LEAD_PREFIX = "leadforge.lead.";
    private static final Set<String> LEAD_STATUS_TYPES = Set.of(EventType.LEAD_STATUS_CHANGED.type(),
            EventType.LEAD_QUALIFIED.type(), EventType.LEAD_DISQUALIFIED.type(), EventType.LEAD_CONTACTED.type());
    private static final Set<String> IGNORED = Set.of(EventType.SCRAPING_JOB_RECORDS_SCRAPED.type(),
            EventType.LEAD_IMPORT_BATCH_IMPORTED.type(), EventType.CAMPAIGN_CREATED.type(),
            EventType.CAMPAIGN_UPDATED.type(), EventType.DATA_SOURCE_CREATED.type(),
            EventType.DATA_SOURCE_UPDATED.type(), EventType.DATA_SOURCE_DELETED.type(),
            // Grants are kept by the overview projection, which applies every poll before this handler (ClientGrants).
            EventType.CAMPAIGN_CLIENT_GRANTED.type(), EventType.CAMPAIGN_CLIENT_REVOKED.type());
    private static final int MAX_USER_ID = 64;

    /** The part of any lead event read here. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    record LeadEventData(LeadSnapshot lead, UUID oldCampaignId, String newAssignee, String actor,
            Instant occurredAt) {
    }

    private final NotificationWriter notifications;
    private final StreamLog stream;
    private final ClientGrants grants;
    private final Duration notificationRetention;
    private final Duration streamRetention;

    public LiveUpdatesHandler(NotificationWriter notifications, StreamLog stream, ClientGrants grants,
            @ConfigProperty(name = "leadforge.notifications.retention") Duration notificationRetention,
            @ConfigProperty(name = "leadforge.stream.retention") Duration streamRetention) {
        this.notifications = notifications;
        this.stream = stream;
        this.grants = grants;
        this.notificationRetention = notificationRetention;
        this.streamRetention = streamRetention;
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.LEAD_EVENTS, Topics.CAMPAIGN_EVENTS, Topics.SCRAPING_EVENTS);
    }

    @Override
    public boolean handles(String type) {
        return !IGNORED.contains(type);
    }

    @Override
    public void apply(IncomingEvent event) {
        Set<UUID> touchedCampaigns = new LinkedHashSet<>();
        List<StreamLog.Row> rows = new ArrayList<>(handle(event, touchedCampaigns));
        rows.addAll(campaignMetricRows(touchedCampaigns));
        stream.append(event.agencyId(), rows);
    }

    /**
     * Like {@link #apply} for each event, except that the campaigns whose figures the batch's lead events moved get one
     * {@code campaign_metrics} row each at the end instead of one per event: an import of thousands of leads must not
     * push thousands of identical "refresh" hints to every dashboard.
     */
    @Override
    public void applyAll(List<IncomingEvent> events, Runnable settle) {
        Set<UUID> touchedCampaigns = new LinkedHashSet<>();
        List<StreamLog.Row> rows = new ArrayList<>();
        for (IncomingEvent event : events) {
            rows.addAll(handle(event, touchedCampaigns));
        }
        rows.addAll(campaignMetricRows(touchedCampaigns));
        stream.append(events.get(0).agencyId(), rows);
    }

    private List<StreamLog.Row> handle(IncomingEvent event, Set<UUID> touchedCampaigns) {
        if (event.type().startsWith(LEAD_PREFIX)) {
            return lead(event, touchedCampaigns);
        }
        EventType type = EventType.fromType(event.type()).orElse(null);
        if (type == null) {
            return List.of();
        }
        return switch (type) {
            case CAMPAIGN_STATUS_CHANGED -> campaignStatus(event, event.data(CampaignStatusChangedEvent.class));
            case CAMPAIGN_DELETED -> {
                CampaignDeletedEvent deleted = event.data(CampaignDeletedEvent.class);
                if (deleted.campaignId() == null || tooOldForStream(deleted.occurredAt())) {
                    yield List.of();
                }
                yield List.of(StreamLog.Row.of("campaign", false, deleted.campaignId(), payload(
                        "campaign_id", deleted.campaignId(), "status", "deleted", "deleted", true,
                        "occurred_at", deleted.occurredAt())));
            }
            case SCRAPING_JOB_CREATED, SCRAPING_JOB_STARTED, SCRAPING_JOB_PROGRESSED, SCRAPING_JOB_PAUSED,
                    SCRAPING_JOB_RESUMED, SCRAPING_JOB_COMPLETED, SCRAPING_JOB_FAILED, SCRAPING_JOB_CANCELLED ->
                job(event, type, event.data(ScrapingJobEvent.class));
            case DATA_SOURCE_TESTED -> dataSourceTested(event, event.data(DataSourceChangedEvent.class));
            case SCRAPING_JOB_LOGGED -> {
                ScrapingJobLoggedEvent line = event.data(ScrapingJobLoggedEvent.class);
                if (line.jobId() == null || tooOldForStream(line.createdAt())) {
                    yield List.of();
                }
                yield List.of(new StreamLog.Row("job_log", true, null, line.jobId(), null, null, payload(
                        "job_id", line.jobId(), "log_id", line.logId(), "level", line.level(),
                        "message", line.message(), "created_at", line.createdAt())));
            }
            default -> List.of();
        };
    }

    private List<StreamLog.Row> lead(IncomingEvent event, Set<UUID> touchedCampaigns) {
        LeadEventData data = event.data(LeadEventData.class);
        LeadSnapshot lead = data.lead();
        if (lead == null || lead.leadId() == null) {
            return List.of();
        }
        if (!event.agencyId().equalsIgnoreCase(String.valueOf(lead.agencyId()))) {
            throw new PoisonEventException("Event " + event.id() + " carries a foreign lead snapshot");
        }
        Instant at = data.occurredAt() != null ? data.occurredAt() : lead.changedAt();
        List<StreamLog.Row> rows = new ArrayList<>();
        if (!tooOldForStream(at)) {
            if (lead.campaignId() != null) {
                touchedCampaigns.add(lead.campaignId());
            }
            if (data.oldCampaignId() != null) {
                touchedCampaigns.add(data.oldCampaignId());
            }
            if (LEAD_STATUS_TYPES.contains(event.type())) {
                rows.add(StreamLog.Row.of("lead", false, lead.campaignId(), payload(
                        "lead_id", lead.leadId(), "campaign_id", lead.campaignId(), "status", lead.status(),
                        "qualification_status", lead.qualificationStatus(), "change", shortType(event.type()),
                        "version", lead.version(), "occurred_at", at)));
            }
        }
        if (EventType.LEAD_ASSIGNED.type().equals(event.type())) {
            String assignee = data.newAssignee();
            // Assigning a lead to oneself needs no notice.
            if (assignee != null && !assignee.isBlank() && !assignee.equals(data.actor()) && !tooOldToNotify(at)) {
                requireUser(event, assignee);
                rows.addAll(notifications.toUser(event.agencyId(), event.id(), assignee, new NewNotification("info",
                        "Lead assigned to you", "A lead was assigned to you.", "lead", lead.leadId(),
                        "/leads/" + lead.leadId(), "Open lead"), at));
            }
        }
        return rows;
    }

    private List<StreamLog.Row> campaignStatus(IncomingEvent event, CampaignStatusChangedEvent changed) {
        if (changed.campaignId() == null || changed.newStatus() == null || changed.occurredAt() == null) {
            throw new PoisonEventException("Event " + event.id() + " names no campaign, status or time");
        }
        List<StreamLog.Row> rows = new ArrayList<>();
        if (!tooOldForStream(changed.occurredAt())) {
            rows.add(StreamLog.Row.of("campaign", false, changed.campaignId(), payload(
                    "campaign_id", changed.campaignId(), "old_status", changed.oldStatus(),
                    "status", changed.newStatus(), "occurred_at", changed.occurredAt())));
        }
        if (!tooOldToNotify(changed.occurredAt())) {
            NewNotification n = new NewNotification("info", "Campaign status changed",
                    "A campaign changed from " + changed.oldStatus() + " to " + changed.newStatus() + ".",
                    "campaign", changed.campaignId(), "/campaigns/" + changed.campaignId(), "Open campaign");
            rows.addAll(notifications.toRole(event.agencyId(), event.id(), Roles.AGENCY_ADMIN, n,
                    changed.occurredAt()));
            for (String client : grants.clientsOf(event.agencyId(), changed.campaignId())) {
                if (client.length() > MAX_USER_ID) {
                    continue; // longer than any notification addressee can be (the bound of notification.user_id)
                }
                rows.addAll(notifications.toUser(event.agencyId(), event.id(), client, n, changed.occurredAt()));
            }
        }
        return rows;
    }

    private List<StreamLog.Row> job(IncomingEvent event, EventType type, ScrapingJobEvent job) {
        if (job.jobId() == null || job.status() == null || job.occurredAt() == null) {
            throw new PoisonEventException("Event " + event.id() + " names no job, status or time");
        }
        List<StreamLog.Row> rows = new ArrayList<>();
        if (!tooOldForStream(job.occurredAt())) {
            rows.add(new StreamLog.Row("job", true, null, job.jobId(), null, null, payload(
                    "job_id", job.jobId(), "data_source_id", job.dataSourceId(), "campaign_id", job.campaignId(),
                    "status", job.status(), "progress", job.progress(), "records_processed", job.recordsProcessed(),
                    "records_imported", job.recordsImported(), "records_duplicate", job.recordsDuplicate(),
                    "records_rejected", job.recordsRejected(), "error_count", job.errorCount(),
                    "error", job.error(), "change", shortType(event.type()), "occurred_at", job.occurredAt())));
        }
        boolean completed = type == EventType.SCRAPING_JOB_COMPLETED;
        if ((completed || type == EventType.SCRAPING_JOB_FAILED) && !tooOldToNotify(job.occurredAt())) {
            String creator = job.createdBy() != null && !job.createdBy().isBlank() ? job.createdBy()
                    : (job.actor() == null || "system".equals(job.actor()) ? null : job.actor());
            NewNotification n = completed
                    ? new NewNotification("success", "Scraping job completed", "The job imported "
                            + job.recordsImported() + " of " + job.recordsProcessed() + " records ("
                            + job.recordsDuplicate() + " duplicates, " + job.recordsRejected() + " rejected).",
                            "scraping_job", job.jobId(), "/jobs/" + job.jobId(), "View job")
                    : new NewNotification("error", "Scraping job failed",
                            "The job failed: " + (job.error() == null ? "unknown error" : job.error()),
                            "scraping_job", job.jobId(), "/jobs/" + job.jobId(), "View job");
            if (creator != null) {
                requireUser(event, creator);
                rows.addAll(notifications.toUser(event.agencyId(), event.id(), creator, n, job.occurredAt()));
            } else {
                // A job whose creator is unknown (an event from before created_by): its agency's admins hear of it.
                rows.addAll(notifications.toRole(event.agencyId(), event.id(), Roles.AGENCY_ADMIN, n,
                        job.occurredAt()));
            }
        }
        return rows;
    }

    private List<StreamLog.Row> dataSourceTested(IncomingEvent event, DataSourceChangedEvent tested) {
        if (!Boolean.FALSE.equals(tested.testSucceeded()) || tested.dataSourceId() == null
                || tested.occurredAt() == null || tooOldToNotify(tested.occurredAt())) {
            return List.of();
        }
        NewNotification n = new NewNotification("warning", "Data source test failed",
                "The connection test of data source " + (tested.name() == null ? tested.dataSourceId() : tested.name())
                        + " failed.",
                "data_source", tested.dataSourceId(), "/data-sources/" + tested.dataSourceId(), "Check settings");
        String actor = tested.actor();
        if (actor != null && !actor.isBlank() && !"system".equals(actor)) {
            requireUser(event, actor);
            return notifications.toUser(event.agencyId(), event.id(), actor, n, tested.occurredAt());
        }
        return notifications.toRole(event.agencyId(), event.id(), Roles.AGENCY_ADMIN, n, tested.occurredAt());
    }

    private static List<StreamLog.Row> campaignMetricRows(Set<UUID> campaigns) {
        List<StreamLog.Row> rows = new ArrayList<>(campaigns.size());
        for (UUID campaign : campaigns) {
            rows.add(StreamLog.Row.of("campaign_metrics", false, campaign, payload("campaign_id", campaign)));
        }
        return rows;
    }

    private static void requireUser(IncomingEvent event, String userId) {
        if (userId.length() > MAX_USER_ID) {
            throw new PoisonEventException("Event " + event.id() + " names a user id longer than " + MAX_USER_ID);
        }
    }

    private boolean tooOldForStream(Instant at) {
        return at != null && at.isBefore(Instant.now().minus(streamRetention));
    }

    private boolean tooOldToNotify(Instant at) {
        return at != null && at.isBefore(Instant.now().minus(notificationRetention));
    }

    /** {@code leadforge.lead.status_changed.v1} → {@code status_changed}. */
    private static String shortType(String type) {
        String[] parts = type.split("\\.");
        return parts.length >= 3 ? parts[2] : type;
    }

    private static Map<String, Object> payload(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
