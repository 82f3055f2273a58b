package com.leadforge.lead.contact;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of POST/PUT {@code /leads/{id}/contact-points}. */
public record ContactPointRequest(
        @NotNull @Pattern(regexp = "phone|email|address|social",
                message = "must be one of phone, email, address, social") String type,
        @NotBlank @Size(max = 500) String value,
        Boolean isPrimary,
        Boolean isVerified) {
}
