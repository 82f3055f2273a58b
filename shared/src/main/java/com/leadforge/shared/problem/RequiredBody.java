package com.leadforge.shared.problem;

import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;

/**
 * Marks a resource method's JSON body as mandatory. A missing body answers {@code malformed-request} rather than a
 * validation error naming the Java parameter, which means nothing to a client.
 */
@NotNull
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Documented
@Target(PARAMETER)
@Retention(RUNTIME)
public @interface RequiredBody {

    String message() default "A JSON body is required";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
