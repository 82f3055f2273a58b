package com.leadforge.scraping.connector.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.leadforge.scraping.datasource.DataSourceType;
import com.leadforge.shared.problem.Problem;

import jakarta.inject.Singleton;

/**
 * Generic HTTP JSON API connector, for data source types {@code api} and {@code custom}, and — with a preset shape the
 * config may override — {@code linkedin} and {@code zoominfo} (a partner or data-provider endpoint the user
 * configures; never HTML scraping). Config ({@code docs/scraping.md}, "HTTP connectors"):
 *
 * <pre>
 * {"url": "https://api.example.com/v1/people",        required; http or https, no user info
 *  "method": "GET",                                     GET (default) or POST
 *  "headers": {"Accept-Language": "en"},                non-secret, at most 20 (auth comes from the credentials)
 *  "body": {"query": "{{keywords}}", "size": 100},      POST only; "{{name}}" = the job's search_criteria.name
 *  "paging": {"type": "page",                           page | offset | cursor | none (default)
 *             "page_param": "page", "offset_param": "offset", "cursor_param": "cursor",
 *             "size_param": "per_page", "page_size": 100, 1..500
 *             "start": 1,                               first page (1) or offset (0); cursor: first cursor
 *             "cursor_pointer": "/next_cursor",         cursor: where the next cursor is in an answer
 *             "location": "query",                      query (GET default) or body (POST default)
 *             "total_pointer": "/total", "total_pages_pointer": "/pages", "has_more_pointer": "/has_more"},
 *  "records_pointer": "/data",                          the array of items ("" = the answer itself)
 *  "mapping": {"email": "/email", "company": "/org/name"},  lead field → pointer in an item, at least one
 *  "metadata": {"source_id": "/id"},                    optional, at most 50, kept on the lead
 *  "max_pages": 100}                                    1..10000; a job's config may lower or raise it
 * </pre>
 *
 * A GET sends the job's {@code search_criteria} as query parameters; a POST sends the {@code body} template with its
 * placeholders filled, or the criteria themselves as the body. Credentials: {@code {"type":"bearer","token":…}},
 * {@code {"type":"api_key","header":"X-Api-Key","value":…}} or {@code {"type":"basic","username":…,"password":…}}.
 * A data source may be created without config; it can be tested and run once it has one.
 */
@Singleton // not a client proxy: the shared base class has no no-argument constructor
public class HttpConnector extends HttpSourceConnector {

    /**
     * LinkedIn-shaped partner APIs (the {@code elements} / {@code paging.start,count,total} convention of LinkedIn's
     * REST APIs, flattened profile fields). Only the URL is required; every key may be overridden.
     */
    static final Map<String, Object> LINKEDIN = Map.of(
            "method", "GET",
            "paging", Map.of("type", "offset", "offset_param", "start", "size_param", "count", "page_size", 50,
                    "total_pointer", "/paging/total"),
            "records_pointer", "/elements",
            "mapping", Map.of("first_name", "/firstName", "last_name", "/lastName", "title", "/headline",
                    "company", "/companyName", "linkedin_url", "/profileUrl", "email", "/emailAddress",
                    "phone", "/phoneNumber"),
            "metadata", Map.of("linkedin_id", "/id", "location", "/location"));

    /**
     * ZoomInfo's contact search shape (POST with {@code page}/{@code rpp} in the body, {@code data[]},
     * {@code totalResults}); the URL (e.g. {@code https://api.zoominfo.com/search/contact}) is required, auth is a
     * bearer token the user obtains from ZoomInfo.
     */
    static final Map<String, Object> ZOOMINFO = Map.of(
            "method", "POST",
            "paging", Map.of("type", "page", "page_param", "page", "size_param", "rpp", "page_size", 100,
                    "total_pointer", "/totalResults"),
            "records_pointer", "/data",
            "mapping", Map.of("first_name", "/firstName", "last_name", "/lastName", "title", "/jobTitle",
                    "company", "/company/name", "email", "/email", "phone", "/phone"),
            "metadata", Map.of("zoominfo_id", "/id"));

    public HttpConnector(SourceHttp http) {
        super(http);
    }

    @Override
    public Set<DataSourceType> types() {
        return Set.of(DataSourceType.API, DataSourceType.CUSTOM, DataSourceType.LINKEDIN, DataSourceType.ZOOMINFO);
    }

    @Override
    protected Optional<HttpSourceSpec> spec(DataSourceType type, Map<String, Object> config) {
        if (config == null || config.isEmpty()) {
            return Optional.empty();
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        HttpSourceSpec spec = HttpSourceSpec.parse(merged(preset(type), config), "config", errors);
        ConfigFields.throwIfAny(errors);
        return Optional.of(spec);
    }

    @Override
    protected HttpAuth auth(Map<String, Object> credentials) {
        return HttpAuth.of(credentials);
    }

    static Map<String, Object> preset(DataSourceType type) {
        return switch (type) {
            case LINKEDIN -> LINKEDIN;
            case ZOOMINFO -> ZOOMINFO;
            default -> Map.of();
        };
    }

    /** The config over the preset: objects are merged one level deep, and a null removes what the preset set. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merged(Map<String, Object> preset, Map<String, Object> config) {
        Map<String, Object> result = new LinkedHashMap<>(preset);
        config.forEach((key, value) -> {
            if (value == null) {
                result.remove(key);
            } else if (value instanceof Map<?, ?> map && preset.get(key) instanceof Map<?, ?> base) {
                Map<String, Object> nested = new LinkedHashMap<>((Map<String, Object>) base);
                ((Map<String, Object>) map).forEach((name, inner) -> {
                    if (inner == null) {
                        nested.remove(name);
                    } else {
                        nested.put(name, inner);
                    }
                });
                result.put(key, nested);
            } else {
                result.put(key, value);
            }
        });
        return result;
    }
}
