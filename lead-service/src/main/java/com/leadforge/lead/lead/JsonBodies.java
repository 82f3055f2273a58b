package com.leadforge.lead.lead;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;

/**
 * Partial bodies (PATCH, bulk updates): which members were sent matters (absent = keep, null = clear), so they
 * arrive as a JSON tree and are converted and validated here with the same field-level problems as full bodies.
 */
@ApplicationScoped
public class JsonBodies {

    private final ObjectMapper mapper;
    private final Validator validator;

    public JsonBodies(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    public record Partial<T>(T value, Set<String> present) {
    }

    /** Converts (unknown members and bad values surface as the usual 400 problems) and validates. */
    public <T> Partial<T> partial(ObjectNode node, Class<T> type, String prefix) {
        T value;
        try {
            value = mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? m.getPath().get(0).getFieldName() : "";
            throw new ProblemException(ProblemType.VALIDATION, "1 field(s) are invalid",
                    List.of(new Problem.FieldError(prefix + field, "has an invalid value or is not supported")));
        }
        validate(value, prefix);
        Set<String> present = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(present::add);
        return new Partial<>(value, present);
    }

    public void validate(Object value, String prefix) {
        var violations = validator.validate(value);
        if (violations.isEmpty()) {
            return;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : violations) {
            List<String> names = new ArrayList<>();
            for (Path.Node node : v.getPropertyPath()) {
                if (node.getName() != null) {
                    names.add(node.getName());
                }
            }
            errors.add(new Problem.FieldError(prefix + String.join(".", names), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        throw new ProblemException(ProblemType.VALIDATION, errors.size() + " field(s) are invalid", errors);
    }
}
