package com.leadforge.lead.importing;

import java.lang.annotation.Annotation;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.leadforge.lead.lead.CreateLeadRequest;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.text.StorableText;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;

/**
 * Judges a scraped record by the rules of {@code POST /leads}: it becomes the {@link CreateLeadRequest} the API would
 * have received and passes the same bean validation (the normaliser follows in {@code LeadService.newLead}). What the
 * API answers with a 400 becomes a rejection with a short, machine-stable reason and the offending field (lead field
 * names, snake_case), so that scraping-service can count and show rejections without parsing prose:
 * <ul>
 * <li>{@code missing_identity} — none of email, phone, linkedin_url or a name (no field);</li>
 * <li>{@code too_long:<field>} — over the API's size limit;</li>
 * <li>{@code invalid_email}, {@code invalid_phone}, {@code invalid_linkedin_url} — malformed identifier;</li>
 * <li>{@code unstorable_text:<field>} — a NUL character or an unpaired surrogate (the API's 400 for such text);</li>
 * <li>{@code too_many_keys:metadata} — more than 50 metadata keys;</li>
 * <li>{@code invalid_metadata} (field {@code metadata.<key>}) — a metadata value that is an object or an array.</li>
 * </ul>
 * Metadata values must be strings, numbers or booleans: the record's source fields that map to no lead field are
 * flat by contract, and a nested value means the producer's mapping is wrong — rejecting says so at once, where
 * dropping the value would lose it silently. Null values carry nothing and are left out. When several rules fail, the
 * reported one is the first in the order of the lead's fields, so the same record always gets the same reason.
 */
@ApplicationScoped
public class RecordCheck {

    public static final String MISSING_IDENTITY = "missing_identity";
    public static final String INVALID_METADATA = "invalid_metadata";
    public static final String CAMPAIGN_NOT_OPEN = "campaign_not_open";

    /** Longest {@code field} reported (the column's width), for metadata keys chosen by the source. */
    private static final int MAX_FIELD = 200;

    /** Lead fields in the order rejections are reported. */
    private static final List<String> FIELD_ORDER = List.of("first_name", "last_name", "email", "phone", "company",
            "title", "linkedin_url", "source", "metadata", "identifiable");
    private static final Set<String> IDENTIFIERS = Set.of("email", "phone", "linkedin_url");

    private final Validator validator;

    public RecordCheck(Validator validator) {
        this.validator = validator;
    }

    /** Why a record did not become a lead. */
    public record Rejection(String reason, String field) {
    }

    /** Either the request the record stands for or why it cannot be one. */
    public record Result(CreateLeadRequest request, Rejection rejection) {
    }

    public Result check(ScrapedRecord record, ScrapedRecordsEvent batch) {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("first_name", record.firstName());
        text.put("last_name", record.lastName());
        text.put("email", record.email());
        text.put("phone", record.phone());
        text.put("company", record.company());
        text.put("title", record.title());
        text.put("linkedin_url", record.linkedinUrl());
        text.put("source", batch.sourceType());
        for (var entry : text.entrySet()) {
            if (StorableText.problem(entry.getValue()) != null) {
                return rejected("unstorable_text:" + entry.getKey(), entry.getKey());
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (record.metadata() != null) {
            for (var entry : record.metadata().entrySet()) {
                String key = entry.getKey();
                Object value = entry.getValue();
                if (StorableText.problem(key) != null) {
                    return rejected("unstorable_text:metadata", "metadata");
                }
                if (value == null) {
                    continue;
                }
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    return rejected(INVALID_METADATA, metadataField(key));
                }
                if (value instanceof String string && StorableText.problem(string) != null) {
                    return rejected("unstorable_text:metadata", metadataField(key));
                }
                metadata.put(key, value);
            }
        }
        CreateLeadRequest request = new CreateLeadRequest(record.firstName(), record.lastName(), record.email(),
                record.phone(), record.company(), record.title(), record.linkedinUrl(), batch.sourceType(),
                batch.campaignId(), null, metadata, null, null);
        return validator.validate(request).stream()
                .map(RecordCheck::rejection)
                .min(Comparator.comparingInt((Rejection r) -> order(r.field())).thenComparing(Rejection::reason))
                .map(rejection -> new Result(null, rejection))
                .orElseGet(() -> new Result(request, null));
    }

    /** The rejection for the normaliser's validation problem (a malformed email, phone or LinkedIn URL). */
    public static Rejection rejection(ProblemException problem) {
        String field = problem.errors().isEmpty() ? null : problem.errors().get(0).field();
        return new Rejection(field == null ? "invalid" : "invalid_" + field, field);
    }

    private static Rejection rejection(ConstraintViolation<CreateLeadRequest> violation) {
        String field = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getName() != null) {
                field = snakeCase(node.getName());
            }
        }
        Class<? extends Annotation> constraint = violation.getConstraintDescriptor().getAnnotation().annotationType();
        if (constraint == AssertTrue.class && "identifiable".equals(field)) {
            return new Rejection(MISSING_IDENTITY, null);
        }
        if (constraint == Size.class) {
            return "metadata".equals(field) ? new Rejection("too_many_keys:metadata", field)
                    : new Rejection("too_long:" + field, field);
        }
        if (constraint == Email.class || IDENTIFIERS.contains(field)) {
            return new Rejection("invalid_" + field, field);
        }
        return new Rejection("invalid:" + field, field);
    }

    private static int order(String field) {
        int index = FIELD_ORDER.indexOf(field == null ? "identifiable" : field);
        return index < 0 ? FIELD_ORDER.size() : index;
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String metadataField(String key) {
        String field = "metadata." + key;
        if (field.length() <= MAX_FIELD) {
            return field;
        }
        // Never cut a surrogate pair in two: half of one is text PostgreSQL refuses.
        int end = Character.isHighSurrogate(field.charAt(MAX_FIELD - 1)) ? MAX_FIELD - 1 : MAX_FIELD;
        return field.substring(0, end);
    }

    private static Result rejected(String reason, String field) {
        return new Result(null, new Rejection(reason, field));
    }
}
