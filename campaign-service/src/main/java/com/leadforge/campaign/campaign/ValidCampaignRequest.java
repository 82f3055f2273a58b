package com.leadforge.campaign.campaign;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Rules of a new or updated campaign that one field's annotation cannot express (status at creation, date order,
 * the shape of {@code target_audience}, see {@link TargetAudience}). Each violation names the field the client has
 * to fix, as the client spells it ({@code end_date}), rather than the rule.
 */
@Documented
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = ValidCampaignRequest.Validator.class)
public @interface ValidCampaignRequest {

    String message() default "is not a valid campaign";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ValidCampaignRequest, CampaignFields> {

        @Override
        public boolean isValid(CampaignFields request, ConstraintValidatorContext context) {
            if (request == null) {
                return true;
            }
            boolean valid = true;
            context.disableDefaultConstraintViolation();
            // Only creation restricts the status by itself; an update's status is checked against the current one
            // by the status machine (409, not 400), because only then is the current status known.
            if (request instanceof CreateCampaignRequest && request.status() != null
                    && !request.status().allowedAtCreation()) {
                violation(context, "status", "must be draft or active when a campaign is created");
                valid = false;
            }
            if (request.startDate() != null && request.endDate() != null
                    && request.endDate().isBefore(request.startDate())) {
                violation(context, "end_date", "must not be before start_date");
                valid = false;
            }
            // A key count above the limit is reported by @Size alone; checking each of 50+ keys would only add noise.
            if (request.targetAudience() != null && request.targetAudience().size() <= 50) {
                for (TargetAudience.Violation violation : TargetAudience.check(request.targetAudience())) {
                    context.buildConstraintViolationWithTemplate(violation.message())
                            .addPropertyNode("target_audience").addPropertyNode(violation.key())
                            .addConstraintViolation();
                    valid = false;
                }
            }
            return valid;
        }

        private static void violation(ConstraintValidatorContext context, String field, String message) {
            context.buildConstraintViolationWithTemplate(message).addPropertyNode(field).addConstraintViolation();
        }
    }
}
