package com.leadforge.lead.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.lead.lead.LeadFilter;
import com.leadforge.lead.lead.LeadQuery;
import com.leadforge.lead.lead.LeadReader;
import com.leadforge.lead.lead.QueryLimits;
import com.leadforge.lead.lead.LeadResponse;
import com.leadforge.lead.lead.LeadScope;
import com.leadforge.shared.tenancy.Roles;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * {@code GET /leads/export?format=csv|json|ndjson} with the list filters. Streamed: rows go from a server-side
 * cursor (fetch size {@link LeadReader#EXPORT_FETCH_SIZE}) straight to the response, so memory stays constant
 * whatever the number of leads. CSV cells that a spreadsheet would run as formulas are neutralised
 * ({@link SpreadsheetCells}); JSON and NDJSON carry the stored values unchanged.
 */
@Path("/api/v1/leads")
@Tag(name = "Leads")
public class ExportResource {

    private static final Logger LOG = Logger.getLogger(ExportResource.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    static final String[] CSV_COLUMNS = { "id", "first_name", "last_name", "email", "phone", "company", "title",
            "linkedin_url", "source", "campaign_id", "status", "qualification_status", "qualification_reason",
            "priority", "score", "assigned_to", "created_by", "consent_given", "do_not_contact", "last_contacted_at",
            "last_responded_at", "qualified_at", "created_at", "updated_at" };

    private final LeadReader reader;
    private final TenantContext tenant;
    private final LeadScope scope;
    private final ObjectMapper mapper;
    private final QueryLimits limits;

    public ExportResource(LeadReader reader, TenantContext tenant, LeadScope scope, ObjectMapper mapper,
            QueryLimits limits) {
        this.limits = limits;
        this.reader = reader;
        this.tenant = tenant;
        this.scope = scope;
        this.mapper = mapper;
    }

    @GET
    @Path("/export")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public Response export(@QueryParam("format") @DefaultValue("csv") @Pattern(regexp = "csv|json|ndjson",
            message = "must be csv, json or ndjson") String format, @Valid @BeanParam LeadFilter filter) {
        String agencyId = tenant.requireAgencyId();
        // Built (and validated) now, while the request can still answer a problem, with the caller's scope bound in
        // (a client exports only its granted campaigns' leads); streamed later.
        LeadQuery.Sql sql = scope.query(filter, "created_at", "desc").all();
        // An export holds a connection for as long as it streams: a bounded number at once, the rest answered 503 now.
        limits.exportStarting();
        StreamingOutput body = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 64 * 1024);
            try {
                switch (format) {
                    case "json" -> json(sql, agencyId, writer);
                    case "ndjson" -> ndjson(sql, agencyId, writer);
                    default -> csv(sql, agencyId, writer);
                }
                writer.flush();
            } catch (java.sql.SQLException | RuntimeException e) {
                // Headers are gone already: all we can do is log and cut the stream short.
                LOG.errorf(e, "Export failed for agency %s", agencyId);
                throw new IOException("Export failed", e);
            } finally {
                limits.exportDone();
            }
        };
        String type = switch (format) {
            case "json" -> "application/json";
            case "ndjson" -> "application/x-ndjson";
            default -> "text/csv";
        };
        String fileName = "leads-" + STAMP.format(Instant.now()) + "." + format;
        return Response.ok(body, type + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"").build();
    }

    private void csv(LeadQuery.Sql sql, String agencyId, Writer writer) throws IOException, java.sql.SQLException {
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(CSV_COLUMNS).get());
        reader.stream(sql, agencyId, lead -> {
            try {
                printer.printRecord(row(lead));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        printer.flush();
    }

    private void ndjson(LeadQuery.Sql sql, String agencyId, Writer writer) throws java.sql.SQLException {
        reader.stream(sql, agencyId, lead -> {
            try {
                writer.write(mapper.writeValueAsString(lead));
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void json(LeadQuery.Sql sql, String agencyId, Writer writer) throws IOException, java.sql.SQLException {
        JsonGenerator generator = mapper.getFactory().createGenerator(writer);
        // One flush per row would send one tiny chunk per lead; the buffered writer flushes by size instead.
        var rowWriter = mapper.writer()
                .without(com.fasterxml.jackson.databind.SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        generator.writeStartArray();
        reader.stream(sql, agencyId, lead -> {
            try {
                rowWriter.writeValue(generator, lead);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        generator.writeEndArray();
        generator.flush();
    }

    /** One CSV row; every text cell neutralised against formula injection ({@link SpreadsheetCells}). */
    private static Object[] row(LeadResponse l) {
        Object[] cells = new Object[] { l.id(), l.firstName(), l.lastName(), l.email(), l.phone(), l.company(), l.title(),
                l.linkedinUrl(), l.source(), l.campaignId(), code(l.status()), code(l.qualificationStatus()),
                l.qualificationReason(), code(l.priority()), l.score(), l.assignedTo(), l.createdBy(),
                l.consentGiven(), l.doNotContact(), l.lastContactedAt(), l.lastRespondedAt(), l.qualifiedAt(),
                l.createdAt(), l.updatedAt() };
        for (int i = 0; i < cells.length; i++) {
            cells[i] = SpreadsheetCells.neutralise(cells[i]);
        }
        return cells;
    }

    private static String code(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(java.util.Locale.ROOT);
    }

}
