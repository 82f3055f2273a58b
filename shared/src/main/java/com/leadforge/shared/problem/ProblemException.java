package com.leadforge.shared.problem;

import java.util.List;

/** Thrown by domain code to answer with a specific problem; mapped by {@link ProblemExceptionMappers}. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(ProblemType.MALFORMED_REQUEST, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    public static ProblemException agencyRequired() {
        return new ProblemException(ProblemType.AGENCY_REQUIRED,
                "A super_admin must name the agency it acts on in the X-Agency-Id header");
    }
}
