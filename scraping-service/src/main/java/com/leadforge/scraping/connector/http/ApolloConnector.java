package com.leadforge.scraping.connector.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonPointer;
import com.leadforge.scraping.datasource.DataSourceType;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.problem.Problem;

import jakarta.inject.Singleton;

/**
 * Apollo people search, a preset on the HTTP machinery: {@code POST {base_url}/v1/mixed_people/search} with the job's
 * {@code search_criteria} as the JSON body plus {@code page} and {@code per_page}, the API key in {@code X-Api-Key}
 * (credentials {@code {"api_key": "…"}}). Items are {@code people[]}: {@code first_name, last_name, name, title,
 * email, linkedin_url, organization.name}, phone from {@code phone_numbers[0].sanitized_number}; paging follows
 * {@code pagination.page/total_pages} and stops at the last page or an empty one. 429 (Apollo's rate limit, with or
 * without {@code Retry-After}) is retried like any HTTP source.
 * <p>
 * Config, all optional: {@code base_url} (default {@code https://api.apollo.io}), {@code per_page} (1..100, default
 * 100), {@code max_pages} (1..500, default 100: Apollo serves at most 500 pages of a search).
 */
@Singleton // not a client proxy: the shared base class has no no-argument constructor
public class ApolloConnector extends HttpSourceConnector {

    static final String DEFAULT_BASE_URL = "https://api.apollo.io";
    static final String SEARCH_PATH = "/v1/mixed_people/search";
    static final int MAX_PAGES = 500;
    /** What Apollo puts in {@code email} when the plan has not unlocked the address: not an address. */
    static final String LOCKED_EMAIL_PREFIX = "email_not_unlocked@";

    public ApolloConnector(SourceHttp http) {
        super(http);
    }

    @Override
    public Set<DataSourceType> types() {
        return Set.of(DataSourceType.APOLLO);
    }

    @Override
    protected Optional<HttpSourceSpec> spec(DataSourceType type, Map<String, Object> config) {
        List<Problem.FieldError> errors = new ArrayList<>();
        ConfigFields fields = new ConfigFields(config, "config", errors);
        fields.onlyKeys(Set.of("base_url", "per_page", "max_pages"));
        URI base = fields.has("base_url") ? fields.url("base_url", true) : URI.create(DEFAULT_BASE_URL);
        if (base != null && base.getRawQuery() != null) {
            fields.error("base_url", "must not have a query string");
        }
        int perPage = (int) fields.integer("per_page", 1, 100, 100);
        int maxPages = (int) fields.integer("max_pages", 1, MAX_PAGES, HttpSourceSpec.DEFAULT_MAX_PAGES);
        ConfigFields.throwIfAny(errors);
        String root = base.toString().replaceAll("/+$", "");
        Map<String, JsonPointer> mapping = new LinkedHashMap<>();
        mapping.put("first_name", JsonPointer.compile("/first_name"));
        mapping.put("last_name", JsonPointer.compile("/last_name"));
        mapping.put("title", JsonPointer.compile("/title"));
        mapping.put("email", JsonPointer.compile("/email"));
        mapping.put("linkedin_url", JsonPointer.compile("/linkedin_url"));
        mapping.put("company", JsonPointer.compile("/organization/name"));
        mapping.put("phone", JsonPointer.compile("/phone_numbers/0/sanitized_number"));
        Map<String, JsonPointer> metadata = new LinkedHashMap<>();
        metadata.put("apollo_id", JsonPointer.compile("/id"));
        metadata.put("name", JsonPointer.compile("/name"));
        HttpSourceSpec.Paging paging = new HttpSourceSpec.Paging(HttpSourceSpec.PagingType.PAGE, "page", "per_page",
                perPage, 1, null, true, null, JsonPointer.compile("/pagination/total_entries"),
                JsonPointer.compile("/pagination/total_pages"), null);
        return Optional.of(new HttpSourceSpec("POST", URI.create(root + SEARCH_PATH),
                Map.of("Cache-Control", "no-cache"), null, paging, JsonPointer.compile("/people"), mapping, metadata,
                maxPages));
    }

    @Override
    protected HttpAuth auth(Map<String, Object> credentials) {
        return HttpAuth.header("X-Api-Key", credentials, "api_key");
    }

    @Override
    protected int maxPagesBound() {
        return MAX_PAGES;
    }

    /** Locked e-mails are no address; a person with only {@code name} gets it split into first and last name. */
    @Override
    protected UnaryOperator<ScrapedRecord> adjust() {
        return record -> {
            String email = record.email() != null && record.email().startsWith(LOCKED_EMAIL_PREFIX) ? null
                    : record.email();
            String first = record.firstName();
            String last = record.lastName();
            if (first == null && last == null && record.metadata() != null
                    && record.metadata().get("name") instanceof String name) {
                int space = name.indexOf(' ');
                first = space < 0 ? name : name.substring(0, space);
                last = space < 0 ? null : name.substring(space + 1).trim();
            }
            return new ScrapedRecord(record.seq(), first, last, email, record.phone(), record.company(),
                    record.title(), record.linkedinUrl(), record.metadata());
        };
    }
}
