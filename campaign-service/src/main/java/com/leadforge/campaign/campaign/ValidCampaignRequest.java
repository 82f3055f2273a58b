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
 * Rules of a new campaign that one field's annotation cannot express. Each violation names the field the client has
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

    class Validator implements ConstraintValidator<ValidCampaignRequest, CreateCampaignRequest> {

        @Override
        public boolean isValid(CreateCampaignRequest request, ConstraintValidatorContext context) {
            if (request == null) {
                return true;
            }
            boolean valid = true;
            context.disableDefaultConstraintViolation();
            if (request.status() != null && !request.status().allowedAtCreation()) {
                violation(context, "status", "must be draft or active when a campaign is created");
                valid = false;
            }
            if (request.startDate() != null && request.endDate() != null
                    && request.endDate().isBefore(request.startDate())) {
                violation(context, "end_date", "must not be before start_date");
                valid = false;
            }
            return valid;
        }

        private static void violation(ConstraintValidatorContext context, String field, String message) {
            context.buildConstraintViolationWithTemplate(message).addPropertyNode(field).addConstraintViolation();
        }
    }
}
