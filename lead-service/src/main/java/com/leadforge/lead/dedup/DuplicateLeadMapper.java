package com.leadforge.lead.dedup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.problem.RequestIdFilter;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * 409 conflict problem that also names the existing lead ({@code existing_lead_id}, {@code existing_lead} and a
 * {@code Link} header), so a client can open it or retry with {@code ?onDuplicate=merge}. The shared
 * {@link Problem} has no extension members, hence a map with the same standard members.
 */
public class DuplicateLeadMapper {

    @ServerExceptionMapper
    public Response duplicate(DuplicateLeadException e, UriInfo uri) {
        String link = "/api/v1/leads/" + e.existingLeadId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemType.CONFLICT.uri());
        body.put("title", ProblemType.CONFLICT.title());
        body.put("status", 409);
        body.put("detail", e.getMessage());
        body.put("instance", uri.getPath());
        Object requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        if (e.existingLeadId() == null) {
            // Lost a race with a concurrent request for the same person: the other lead is not visible yet.
            body.put("errors", List.of(new Problem.FieldError(e.field(), "matches another lead")));
            return Response.status(409).type(Problem.MEDIA_TYPE).entity(body).build();
        }
        body.put("errors", List.of(new Problem.FieldError(e.field(), "matches lead " + e.existingLeadId())));
        body.put("existing_lead_id", e.existingLeadId().toString());
        body.put("existing_lead", link);
        return Response.status(409).type(Problem.MEDIA_TYPE).header("Link", "<" + link + ">; rel=\"duplicate\"")
                .entity(body).build();
    }
}
