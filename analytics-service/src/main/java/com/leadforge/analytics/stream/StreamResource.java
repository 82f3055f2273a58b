package com.leadforge.analytics.stream;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.analytics.notification.Audience;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.CallerScope;
import com.leadforge.shared.tenancy.Roles;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /api/v1/stream}: the caller's live updates as server-sent events (kinds {@code job}, {@code job_log},
 * {@code campaign}, {@code campaign_metrics}, {@code lead}, {@code notification}; plus {@code reset} and {@code end}).
 * Every event's {@code id} is its log position; a reconnecting client sends it back as {@code Last-Event-ID} and gets
 * every event after it, once, within the retention window. The stream ends when the token expires.
 */
@Path("/api/v1/stream")
@Tag(name = "Live updates")
public class StreamResource {

    private final StreamHub hub;
    private final TenantContext tenant;
    private final SecurityIdentity identity;
    private final CallerScope scope;

    public StreamResource(StreamHub hub, TenantContext tenant, SecurityIdentity identity, CallerScope scope) {
        this.hub = hub;
        this.tenant = tenant;
        this.identity = identity;
        this.scope = scope;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @APIResponse(responseCode = "200", description = "The caller's live updates, until the token expires",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public void stream(@HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("watch_job") String watchJob,
            @Context SseEventSink sink, @Context Sse sse, @Context HttpServerResponse connection) {
        String agencyId = tenant.requireAgencyId();
        boolean grantedOnly = scope.grantedSubjectOnly().isPresent();
        UUID job = null;
        if (watchJob != null && !watchJob.isBlank()) {
            try {
                job = UUID.fromString(watchJob.trim());
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.VALIDATION, "watch_job must be a job id (UUID)",
                        List.of(new Problem.FieldError("watch_job", "must be a UUID")));
            }
            if (grantedOnly) {
                throw ProblemException.forbidden("A client may not watch scraping jobs");
            }
        }
        StreamCursor resume = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            resume = StreamCursor.parse(lastEventId).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                    "Last-Event-ID is not an id this stream sent",
                    List.of(new Problem.FieldError("Last-Event-ID", "must be an event id of this stream"))));
        }
        Instant expiresAt = identity.getPrincipal() instanceof JsonWebToken token && token.getExpirationTime() > 0
                ? Instant.ofEpochSecond(token.getExpirationTime())
                : Instant.now();
        Audience audience = Audience.of(identity, tenant.actor());
        hub.open(agencyId, audience.userId(), audience.roles(), grantedOnly, job, expiresAt, resume, sink, sse,
                connection);
    }
}
