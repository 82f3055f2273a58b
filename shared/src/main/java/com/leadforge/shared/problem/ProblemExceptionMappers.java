package com.leadforge.shared.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import com.leadforge.shared.text.UnstorableTextException;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Turns every failure a resource can raise into {@code application/problem+json}. The catch-all logs the exception
 * with the request id and answers a generic 500, so no stack trace or SQL ever reaches a client.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response response = respond(e.type(), e.getMessage(), uri, e.errors());
        if (e.type() == ProblemType.SERVICE_UNAVAILABLE || e.type() == ProblemType.RATE_LIMITED) {
            // Every "not now" answer tells the client when to try again.
            return Response.fromResponse(response).header("Retry-After", "1").build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response violations(ResteasyReactiveViolationException e, UriInfo uri) {
        if (e.getConstraintViolations().stream().anyMatch(v -> kindOf(v.getPropertyPath()) == ElementKind.RETURN_VALUE)) {
            LOG.errorf("Response validation failed [requestId=%s]: %s", MDC.get(RequestIdFilter.MDC_KEY), e.getMessage());
            return respond(ProblemType.INTERNAL, "The server could not complete the request", uri, List.of());
        }
        if (e.getConstraintViolations().stream().anyMatch(
                v -> v.getConstraintDescriptor().getAnnotation().annotationType() == RequiredBody.class)) {
            return respond(ProblemType.MALFORMED_REQUEST, "A JSON body is required", uri, List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldName(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        return respond(ProblemType.VALIDATION, errors.size() + " field(s) are invalid", uri, errors);
    }

    @ServerExceptionMapper({ JsonParseException.class })
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        boolean duplicate = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
        return respond(ProblemType.MALFORMED_REQUEST, duplicate ? "The request body names a member more than once"
                : "The request body is not valid JSON", uri, List.of());
    }

    @ServerExceptionMapper({ MismatchedInputException.class, InvalidFormatException.class,
            UnrecognizedPropertyException.class, JsonMappingException.class })
    public Response mismatchedJson(JsonMappingException e, UriInfo uri) {
        String field = jsonPath(e);
        String message = e instanceof UnstorableTextException unstorable ? unstorable.reason()
                : e instanceof UnrecognizedPropertyException ? "is not a known field"
                : e instanceof InvalidFormatException format && format.getTargetType() != null && format.getTargetType().isEnum()
                        ? "must be one of " + java.util.Arrays.toString(format.getTargetType().getEnumConstants()).toLowerCase(java.util.Locale.ROOT)
                        : "has the wrong type or format";
        // Jackson reports a truncated document as a mismatched input at the field it was reading.
        boolean truncated = e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input");
        if (field.isEmpty() || truncated) {
            return respond(ProblemType.MALFORMED_REQUEST, "The request body does not have the expected shape", uri,
                    List.of());
        }
        return respond(ProblemType.VALIDATION, "1 field(s) are invalid", uri, List.of(new Problem.FieldError(field, message)));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(respond(ProblemType.UNAUTHORIZED,
                "A valid bearer token is required", uri, List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(ProblemType.FORBIDDEN, "Your role does not allow this operation", uri, List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException && e.getCause() != null) {
            // JAX-RS answers 404 when a path or query parameter cannot be converted (page=abc, a malformed id):
            // the request is wrong, not the resource missing.
            return respond(ProblemType.MALFORMED_REQUEST, "A path or query parameter has an invalid value", uri,
                    List.of());
        }
        ProblemType type = ProblemType.forStatus(status);
        if (status >= 500) {
            LOG.errorf(e, "Request failed [requestId=%s]", MDC.get(RequestIdFilter.MDC_KEY));
            return respond(type, "The server could not complete the request", uri, List.of());
        }
        return Response.fromResponse(respond(type, type.title(), uri, List.of())).status(status).build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DatabaseUnavailable.isCause(e)) {
            // Not a bug: the database is restarting, unreachable or saturated. Clients may retry shortly.
            LOG.warnf("Database unavailable [requestId=%s]: %s", MDC.get(RequestIdFilter.MDC_KEY),
                    DatabaseUnavailable.describe(e));
            return Response.fromResponse(respond(ProblemType.SERVICE_UNAVAILABLE,
                    "The service cannot reach its database right now; retry shortly", uri, List.of()))
                    .header("Retry-After", "1").build();
        }
        if (ConcurrentUpdate.isCause(e)) {
            LOG.infof("Concurrent update lost the race [requestId=%s]: %s", MDC.get(RequestIdFilter.MDC_KEY),
                    e.getClass().getSimpleName());
            return respond(ProblemType.CONFLICT,
                    "The resource was changed by another request at the same time; read it again and retry", uri,
                    List.of());
        }
        LOG.errorf(e, "Unhandled failure [requestId=%s]", MDC.get(RequestIdFilter.MDC_KEY));
        return respond(ProblemType.INTERNAL, "The server could not complete the request", uri, List.of());
    }

    static Response respond(ProblemType type, String detail, UriInfo uri, List<Problem.FieldError> errors) {
        Problem problem = new Problem(type.uri(), type.title(), type.status(), detail,
                uri == null ? null : uri.getPath(), (String) MDC.get(RequestIdFilter.MDC_KEY), errors);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static ElementKind kindOf(Path path) {
        ElementKind kind = null;
        for (Path.Node node : path) {
            kind = node.getKind();
        }
        return kind;
    }

    /** {@code create.request.email} becomes {@code email}: clients know their fields, not our method names. */
    private static String fieldName(Path path) {
        List<String> properties = new ArrayList<>();
        String parameter = "";
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                properties.add(node.getName());
            } else if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            }
        }
        return properties.isEmpty() ? parameter : String.join(".", properties);
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
