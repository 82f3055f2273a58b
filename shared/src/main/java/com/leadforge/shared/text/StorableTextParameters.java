package com.leadforge.shared.text;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The same rule as {@link StorableTextJson} for everything else a request carries: decoded query and path parameters
 * (a 400 {@code validation} problem naming the parameter, e.g. {@code ?source=a%00b}) and header values (a 400
 * {@code malformed-request} naming the header). Runs after matching, so path parameters have their names.
 */
public class StorableTextParameters {

    @ServerRequestFilter
    public void rejectUnstorableParameters(ContainerRequestContext request) {
        check(request.getUriInfo().getPathParameters(true), ProblemType.VALIDATION, "parameter");
        check(request.getUriInfo().getQueryParameters(true), ProblemType.VALIDATION, "parameter");
        check(request.getHeaders(), ProblemType.MALFORMED_REQUEST, "header");
    }

    private static void check(MultivaluedMap<String, String> parameters, ProblemType type, String kind) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String reason = StorableText.problem(parameter.getKey());
            for (int i = 0; reason == null && parameter.getValue() != null && i < parameter.getValue().size(); i++) {
                reason = StorableText.problem(parameter.getValue().get(i));
            }
            if (reason != null) {
                String name = StorableText.printable(parameter.getKey());
                throw new ProblemException(type, "The " + kind + " " + name + " " + reason,
                        List.of(new Problem.FieldError(name, reason)));
            }
        }
    }
}
