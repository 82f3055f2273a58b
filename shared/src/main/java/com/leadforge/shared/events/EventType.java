package com.leadforge.shared.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every event type any service publishes, with the topic it travels on. The CloudEvents {@code type} is
 * {@code leadforge.<aggregate>.<action>.v<version>}; a breaking change to a payload gets a new version, never an
 * edit of an existing one. The catalogue with payloads is docs/events.md.
 */
public enum EventType {

    LEAD_CREATED("lead", "created", 1, Topics.LEAD_EVENTS),
    LEAD_UPDATED("lead", "updated", 1, Topics.LEAD_EVENTS),
    LEAD_STATUS_CHANGED("lead", "status_changed", 1, Topics.LEAD_EVENTS),
    LEAD_QUALIFIED("lead", "qualified", 1, Topics.LEAD_EVENTS),
    LEAD_DISQUALIFIED("lead", "disqualified", 1, Topics.LEAD_EVENTS),
    LEAD_ASSIGNED("lead", "assigned", 1, Topics.LEAD_EVENTS),
    LEAD_CONTACTED("lead", "contacted", 1, Topics.LEAD_EVENTS),
    LEAD_MERGED("lead", "merged", 1, Topics.LEAD_EVENTS),
    LEAD_DELETED("lead", "deleted", 1, Topics.LEAD_EVENTS),
    LEAD_ERASED("lead", "erased", 1, Topics.LEAD_EVENTS),
    CAMPAIGN_CREATED("campaign", "created", 1, Topics.CAMPAIGN_EVENTS),
    CAMPAIGN_UPDATED("campaign", "updated", 1, Topics.CAMPAIGN_EVENTS),
    CAMPAIGN_STATUS_CHANGED("campaign", "status_changed", 1, Topics.CAMPAIGN_EVENTS),
    CAMPAIGN_DELETED("campaign", "deleted", 1, Topics.CAMPAIGN_EVENTS),
    CAMPAIGN_CLIENT_GRANTED("campaign", "client_granted", 1, Topics.CAMPAIGN_EVENTS),
    CAMPAIGN_CLIENT_REVOKED("campaign", "client_revoked", 1, Topics.CAMPAIGN_EVENTS),
    LEAD_IMPORT_BATCH_IMPORTED("lead_import", "batch_imported", 1, Topics.LEAD_EVENTS),
    DATA_SOURCE_CREATED("data_source", "created", 1, Topics.SCRAPING_EVENTS),
    DATA_SOURCE_UPDATED("data_source", "updated", 1, Topics.SCRAPING_EVENTS),
    DATA_SOURCE_DELETED("data_source", "deleted", 1, Topics.SCRAPING_EVENTS),
    DATA_SOURCE_TESTED("data_source", "tested", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_CREATED("scraping_job", "created", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_STARTED("scraping_job", "started", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_PROGRESSED("scraping_job", "progressed", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_PAUSED("scraping_job", "paused", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_RESUMED("scraping_job", "resumed", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_COMPLETED("scraping_job", "completed", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_FAILED("scraping_job", "failed", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_CANCELLED("scraping_job", "cancelled", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_RECORDS_SCRAPED("scraping_job", "records_scraped", 1, Topics.SCRAPING_EVENTS),
    SCRAPING_JOB_LOGGED("scraping_job", "logged", 1, Topics.SCRAPING_EVENTS);

    private final String aggregate;
    private final String type;
    private final String topic;

    EventType(String aggregate, String action, int version, String topic) {
        this.aggregate = aggregate;
        this.type = "leadforge." + aggregate + "." + action + ".v" + version;
        this.topic = topic;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    public String aggregate() {
        return aggregate;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }
}
