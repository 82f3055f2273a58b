package com.leadforge.lead.normalise;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * One canonical form per identifier, so that duplicates are found by plain equality (and an index) rather than by
 * fuzzy comparisons: e-mail lower-cased, phone in E.164, LinkedIn profile URL as {@code https://www.linkedin.com/in/x}.
 */
@ApplicationScoped
public class ContactNormaliser {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    // Deliberately simple: the full RFC grammar accepts addresses no mail system delivers to.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");
    private static final Pattern LINKEDIN = Pattern.compile(
            "(?i)^https?://(?:[a-z]{2,3}\\.)?linkedin\\.com/(in|company|pub)/([^/?#\\s]+)/?(?:[?#].*)?$");

    private final String defaultRegion;

    public ContactNormaliser(@ConfigProperty(name = "leadforge.phone.default-region", defaultValue = "US")
            String defaultRegion) {
        this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
    }

    public static String trimmed(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Lower-cased e-mail, or a validation problem on {@code field}. */
    public String email(String value, String field) {
        String email = trimmed(value);
        if (email == null) {
            return null;
        }
        email = email.toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(email).matches() || email.length() > 320) {
            throw invalid(field, "must be a well-formed email address");
        }
        return email;
    }

    /** E.164 ({@code +14155550100}); numbers without a country code are read in the configured default region. */
    public String phone(String value, String field) {
        String phone = trimmed(value);
        if (phone == null) {
            return null;
        }
        try {
            PhoneNumber parsed = PHONES.parse(phone, defaultRegion);
            if (!PHONES.isValidNumber(parsed)) {
                throw invalid(field, "must be a valid phone number");
            }
            return PHONES.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw invalid(field, "must be a valid phone number");
        }
    }

    /** Canonical profile URL, or a validation problem when it is not a LinkedIn profile or company page. */
    public String linkedin(String value, String field) {
        String url = trimmed(value);
        if (url == null) {
            return null;
        }
        return linkedinOrEmpty(url).orElseThrow(() -> invalid(field, "must be a LinkedIn URL"));
    }

    public Optional<String> linkedinOrEmpty(String url) {
        Matcher matcher = LINKEDIN.matcher(url.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of("https://www.linkedin.com/" + matcher.group(1).toLowerCase(Locale.ROOT) + "/"
                + matcher.group(2).toLowerCase(Locale.ROOT));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, "1 field(s) are invalid",
                List.of(new Problem.FieldError(field, message)));
    }
}
