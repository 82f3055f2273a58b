package com.leadforge.shared.events;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: the event's attributes travel as record headers,
 * the record value is the event data. Extension attribute names must be lower-case alphanumerics, hence
 * {@code agencyid} rather than {@code agency_id}.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION_VALUE = "1.0";

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String AGENCY_ID = "ce_agencyid";
    public static final String ACTOR = "ce_actor";
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventHeaders() {
    }
}
