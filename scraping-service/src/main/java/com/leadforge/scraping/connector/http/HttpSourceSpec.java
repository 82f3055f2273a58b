package com.leadforge.scraping.connector.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadforge.scraping.connector.csv.CsvColumns;
import com.leadforge.shared.problem.Problem;

/**
 * A source's HTTP shape, validated: where to send which request, how to page, where the items are in an answer and
 * which JSON pointer inside an item feeds which lead field. Built from a data source's {@code config} (generic HTTP
 * connector, see {@link HttpConnector} for the documented shape) or by a preset ({@link ApolloConnector}).
 */
record HttpSourceSpec(String method, URI url, Map<String, String> headers, JsonNode bodyTemplate, Paging paging,
        JsonPointer recordsPointer, Map<String, JsonPointer> mapping, Map<String, JsonPointer> metadata,
        int maxPages) {

    static final List<String> FIELDS = CsvColumns.FIELDS;
    static final int MAX_PAGE_SIZE = 500;
    static final int MAX_PAGES = 10_000;
    static final int DEFAULT_MAX_PAGES = 100;
    static final int MAX_HEADERS = 20;
    static final int MAX_METADATA = 50;
    static final Set<String> KEYS = Set.of("url", "method", "headers", "body", "paging", "records_pointer", "mapping",
            "metadata", "max_pages");
    /** Set by the connector, or secrets that belong in the credentials. */
    static final Set<String> RESERVED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "host",
            "content-length", "content-type", "connection", "transfer-encoding", "expect", "upgrade", "te");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]{1,100})\\s*}}");

    enum PagingType {
        PAGE, OFFSET, CURSOR, NONE;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param param the page number, offset or cursor parameter
     * @param start first page number, first offset; {@code startCursor} the first cursor (usually none)
     * @param inBody paging parameters go into the JSON body (POST) rather than the query string
     */
    record Paging(PagingType type, String param, String sizeParam, int pageSize, long start, String startCursor,
            boolean inBody, JsonPointer cursorPointer, JsonPointer totalPointer, JsonPointer totalPagesPointer,
            JsonPointer hasMorePointer) {

        static Paging none() {
            return new Paging(PagingType.NONE, null, null, 0, 0, null, false, null, null, null, null);
        }

        Set<String> parameterNames() {
            Set<String> names = new LinkedHashSet<>();
            if (type != PagingType.NONE) {
                names.add(param);
                names.add(sizeParam);
            }
            return names;
        }
    }

    /** Where a page is: its number or offset, or the cursor that fetches it (null: the first one). */
    record Position(long number, String cursor) {
    }

    HttpSourceSpec withMaxPages(int pages) {
        return new HttpSourceSpec(method, url, headers, bodyTemplate, paging, recordsPointer, mapping, metadata, pages);
    }

    Position first() {
        return new Position(paging.start(), paging.startCursor());
    }

    /** The generic shape; null when {@code errors} received something. */
    static HttpSourceSpec parse(Map<String, Object> config, String prefix, List<Problem.FieldError> errors) {
        int before = errors.size();
        ConfigFields fields = new ConfigFields(config, prefix, errors);
        fields.onlyKeys(KEYS);
        URI url = fields.url("url", true);
        String method = fields.choice("method", List.of("get", "post"), "get");
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        Map<String, String> headers = headers(fields);
        JsonNode body = null;
        if (fields.has("body")) {
            Map<String, Object> template = fields.object("body");
            if (template != null && !"POST".equals(method)) {
                fields.error("body", "is only sent with method POST");
            } else if (template != null) {
                body = SourceHttp.JSON.valueToTree(template);
            }
        }
        Paging paging = paging(fields.nested("paging"), method, fields.has("paging"));
        JsonPointer records = fields.pointer("records_pointer", false, "");
        Map<String, JsonPointer> mapping = fields.pointers("mapping", new LinkedHashSet<>(FIELDS), FIELDS.size());
        if (!fields.has("mapping") || mapping.isEmpty() && errors.size() == before) {
            fields.error("mapping", "must map at least one lead field (" + String.join(", ", FIELDS)
                    + ") to a JSON pointer inside an item");
        }
        Map<String, JsonPointer> metadata = fields.pointers("metadata", null, MAX_METADATA);
        int maxPages = (int) fields.integer("max_pages", 1, MAX_PAGES, DEFAULT_MAX_PAGES);
        if (errors.size() > before) {
            return null;
        }
        return new HttpSourceSpec(method, url, headers, body, paging, records, mapping, metadata, maxPages);
    }

    private static Map<String, String> headers(ConfigFields fields) {
        Map<String, Object> map = fields.object("headers");
        Map<String, String> headers = new LinkedHashMap<>();
        if (map == null) {
            return headers;
        }
        if (map.size() > MAX_HEADERS) {
            fields.error("headers", "may hold at most " + MAX_HEADERS + " headers");
            return headers;
        }
        ConfigFields entries = fields.nested("headers");
        for (var entry : map.entrySet()) {
            String name = entry.getKey();
            if (!HttpAuth.HEADER_NAME.matcher(name).matches()) {
                entries.error(name, "is not an HTTP header name");
            } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                entries.error(name, "is set by the connector; secrets belong in the data source's credentials");
            } else if (!(entry.getValue() instanceof String value) || value.length() > 1000
                    || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                entries.error(name, "must be a string of at most 1000 characters without line breaks");
            } else {
                headers.put(name, value);
            }
        }
        return headers;
    }

    private static Paging paging(ConfigFields fields, String method, boolean present) {
        if (!present) {
            return Paging.none();
        }
        String type = fields.choice("type", List.of("page", "offset", "cursor", "none"), "none");
        if (type == null) {
            return null;
        }
        PagingType kind = PagingType.valueOf(type.toUpperCase(Locale.ROOT));
        Set<String> allowed = new LinkedHashSet<>(List.of("type"));
        if (kind != PagingType.NONE) {
            allowed.addAll(List.of("page_size", "size_param", "location", "total_pointer", "has_more_pointer"));
        }
        switch (kind) {
            case PAGE -> allowed.addAll(List.of("page_param", "start", "total_pages_pointer"));
            case OFFSET -> allowed.addAll(List.of("offset_param", "start"));
            case CURSOR -> allowed.addAll(List.of("cursor_param", "start", "cursor_pointer"));
            case NONE -> {
            }
        }
        fields.onlyKeys(allowed);
        if (kind == PagingType.NONE) {
            return Paging.none();
        }
        String param = switch (kind) {
            case PAGE -> name(fields, "page_param", "page");
            case OFFSET -> name(fields, "offset_param", "offset");
            default -> name(fields, "cursor_param", "cursor");
        };
        String sizeParam = name(fields, "size_param", kind == PagingType.PAGE ? "per_page" : "limit");
        int pageSize = (int) fields.integer("page_size", 1, MAX_PAGE_SIZE, 100);
        long start = 0;
        String startCursor = null;
        if (kind == PagingType.CURSOR) {
            startCursor = fields.text("start", false, ConfigFields.MAX_TEXT);
        } else {
            start = fields.integer("start", 0, 1_000_000_000, kind == PagingType.PAGE ? 1 : 0);
        }
        String location = fields.choice("location", List.of("query", "body"), "POST".equals(method) ? "body" : "query");
        if ("body".equals(location) && !"POST".equals(method)) {
            fields.error("location", "can be body only with method POST");
        }
        JsonPointer cursor = kind == PagingType.CURSOR ? fields.pointer("cursor_pointer", true, null) : null;
        if (param != null && param.equals(sizeParam)) {
            fields.error("size_param", "must differ from the page, offset or cursor parameter");
        }
        return new Paging(kind, param, sizeParam, pageSize, start, startCursor, "body".equals(location), cursor,
                fields.pointer("total_pointer", false, null), fields.pointer("total_pages_pointer", false, null),
                fields.pointer("has_more_pointer", false, null));
    }

    private static String name(ConfigFields fields, String key, String fallback) {
        String name = fields.text(key, false, ConfigFields.MAX_NAME);
        return name == null ? fallback : name;
    }

    /** The request for the page at {@code position}, with the job's search criteria and the auth header. */
    SourceRequest request(Position position, Map<String, Object> criteria, HttpAuth auth) {
        List<String[]> query = new ArrayList<>();
        ObjectNode body = null;
        if ("POST".equals(method)) {
            JsonNode built = bodyTemplate != null ? substitute(bodyTemplate, criteria)
                    : SourceHttp.JSON.valueToTree(criteria);
            body = built instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        } else {
            criteria.forEach((name, value) -> {
                if (value instanceof List<?> list) {
                    list.forEach(item -> query.add(new String[] { name, String.valueOf(item) }));
                } else if (value != null) {
                    query.add(new String[] { name, String.valueOf(value) });
                }
            });
        }
        if (paging.type() != PagingType.NONE) {
            Object where = paging.type() == PagingType.CURSOR ? position.cursor() : (Object) position.number();
            if (paging.inBody()) {
                if (where instanceof Long number) {
                    body.put(paging.param(), number);
                } else if (where != null) {
                    body.put(paging.param(), (String) where);
                }
                body.put(paging.sizeParam(), paging.pageSize());
            } else {
                if (where != null) {
                    query.add(new String[] { paging.param(), String.valueOf(where) });
                }
                query.add(new String[] { paging.sizeParam(), String.valueOf(paging.pageSize()) });
            }
        }
        Map<String, String> allHeaders = new LinkedHashMap<>(headers);
        if (auth.present()) {
            allHeaders.put(auth.header(), auth.value());
        }
        byte[] bytes;
        try {
            bytes = body == null ? null : SourceHttp.JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serialises", e);
        }
        return new SourceRequest(method, withQuery(url, query), allHeaders, bytes);
    }

    private static URI withQuery(URI url, List<String[]> parameters) {
        if (parameters.isEmpty()) {
            return url;
        }
        StringBuilder uri = new StringBuilder(url.toString());
        uri.append(url.getRawQuery() == null ? '?' : '&');
        for (Iterator<String[]> it = parameters.iterator(); it.hasNext();) {
            String[] parameter = it.next();
            uri.append(URLEncoder.encode(parameter[0], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(parameter[1], StandardCharsets.UTF_8));
            if (it.hasNext()) {
                uri.append('&');
            }
        }
        return URI.create(uri.toString());
    }

    /** The body template with each string that is exactly {@code {{name}}} replaced by the criterion's value. */
    static JsonNode substitute(JsonNode template, Map<String, Object> criteria) {
        if (template.isTextual()) {
            Matcher placeholder = PLACEHOLDER.matcher(template.textValue().trim());
            if (placeholder.matches()) {
                Object value = criteria.get(placeholder.group(1));
                return value == null ? JsonNodeFactory.instance.nullNode() : SourceHttp.JSON.valueToTree(value);
            }
            return template;
        }
        if (template.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            template.fields().forEachRemaining(field -> copy.set(field.getKey(), substitute(field.getValue(), criteria)));
            return copy;
        }
        if (template.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            template.forEach(item -> copy.add(substitute(item, criteria)));
            return copy;
        }
        return template;
    }

    /** Checks a job's search criteria against this shape: what the request can carry. */
    List<Problem.FieldError> checkCriteria(Map<String, Object> criteria) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> reserved = paging.parameterNames();
        for (var entry : criteria.entrySet()) {
            String field = "search_criteria." + entry.getKey();
            if (reserved.contains(entry.getKey()) && (bodyTemplate == null || !"POST".equals(method))) {
                errors.add(new Problem.FieldError(field, "is set by the connector's paging"));
            } else if ("GET".equals(method) && !isQueryValue(entry.getValue())) {
                errors.add(new Problem.FieldError(field, "must be a string, number, boolean or a list of them "
                        + "(a GET sends the criteria as query parameters)"));
            }
        }
        return errors;
    }

    private static boolean isQueryValue(Object value) {
        if (value instanceof List<?> list) {
            return list.size() <= 100 && list.stream().allMatch(item -> item instanceof String
                    || item instanceof Number || item instanceof Boolean);
        }
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean;
    }
}
