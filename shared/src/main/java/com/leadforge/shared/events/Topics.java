package com.leadforge.shared.events;

/** Kafka topic names. Each topic has a dead-letter companion named {@code <topic>.dlq}. */
public final class Topics {

    public static final String LEAD_EVENTS = "leadforge.lead-events";
    public static final String CAMPAIGN_EVENTS = "leadforge.campaign-events";
    public static final String SCRAPING_EVENTS = "leadforge.scraping-events";

    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    private Topics() {
    }
}
