package com.leadforge.scraping.connector.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadforge.scraping.connector.ConnectorException;
import com.leadforge.scraping.connector.ReadBatch;
import com.leadforge.scraping.connector.RecordReader;
import com.leadforge.scraping.connector.http.HttpSourceSpec.PagingType;
import com.leadforge.scraping.connector.http.HttpSourceSpec.Position;
import com.leadforge.shared.events.ScrapedRecord;

/**
 * Reads a source page by page. Each {@link #next} makes at most one page request (with its retries, within the
 * page's time budget), so one call never takes longer than that budget — below the job lease.
 * <p>
 * Sequence number = running count of items (records and rejections alike). The checkpoint holds where the current
 * page is ({@code page}, {@code offset} or {@code cursor}), how many of its items were already handed out
 * ({@code consumed}), {@code seq} and {@code pages_done}: a batch may end mid-page, and a resumed reader re-fetches
 * that page and skips the items already sent, so every item is sent once. Stops at an empty page, when the answer
 * says there is nothing more (no next cursor, {@code has_more} false, the total reached, the last page), or after
 * {@code max_pages} pages.
 */
final class HttpRecordReader implements RecordReader {

    private final SourceHttp http;
    private final HttpSourceSpec spec;
    private final UUID sourceId;
    private final HttpAuth auth;
    private final Map<String, Object> criteria;
    private final ItemMapper mapper;
    private final Duration budget;

    private Position position;
    private int consumed;
    private long seq;
    private long pagesDone;
    private boolean done;
    /** The page being handed out, while it has items left; null when the next call must fetch. */
    private JsonNode items;
    private JsonNode answer;
    private Long totalItems;
    private Long totalPages;

    HttpRecordReader(SourceHttp http, HttpSourceSpec spec, UUID sourceId, HttpAuth auth, Map<String, Object> criteria,
            ItemMapper mapper, Map<String, Object> checkpoint, Duration budget) {
        this.http = http;
        this.spec = spec;
        this.sourceId = sourceId;
        this.auth = auth;
        this.criteria = criteria;
        this.mapper = mapper;
        this.budget = budget;
        Position first = spec.first();
        if (checkpoint == null || checkpoint.isEmpty()) {
            position = first;
        } else {
            long number = switch (spec.paging().type()) {
                case PAGE -> number(checkpoint, "page", first.number());
                case OFFSET -> number(checkpoint, "offset", first.number());
                default -> first.number();
            };
            String cursor = spec.paging().type() == PagingType.CURSOR && checkpoint.get("cursor") instanceof String c
                    ? c : first.cursor();
            position = new Position(number, cursor);
            consumed = (int) number(checkpoint, "consumed", 0);
            seq = number(checkpoint, "seq", 0);
            pagesDone = number(checkpoint, "pages_done", 0);
        }
    }

    @Override
    public ReadBatch next(int maxRecords) {
        if (done) {
            return batch(List.of(), List.of());
        }
        if (items == null) {
            if (pagesDone >= spec.maxPages()) {
                done = true;
                return batch(List.of(), List.of());
            }
            load();
            if (items.isEmpty()) {
                done = true;
                return batch(List.of(), List.of());
            }
            if (consumed >= items.size()) {
                // Resumed on a page that has shrunk since: what it holds now was sent; go on after it.
                return finishPage(List.of(), List.of());
            }
        }
        List<ScrapedRecord> records = new ArrayList<>();
        List<ReadBatch.Rejection> rejected = new ArrayList<>();
        while (records.size() + rejected.size() < maxRecords && consumed < items.size()) {
            JsonNode item = items.get(consumed);
            consumed++;
            seq++;
            Object mapped = mapper.map(seq, item, consumed + " of " + describe(position));
            if (mapped instanceof ScrapedRecord record) {
                records.add(record);
            } else {
                rejected.add((ReadBatch.Rejection) mapped);
            }
        }
        if (consumed >= items.size()) {
            return finishPage(records, rejected);
        }
        return batch(records, rejected);
    }

    /** The current page is handed out: move to the next one, and stop when the answer says it was the last. */
    private ReadBatch finishPage(List<ScrapedRecord> records, List<ReadBatch.Rejection> rejected) {
        int size = items.size();
        pagesDone++;
        HttpSourceSpec.Paging paging = spec.paging();
        boolean last = paging.type() == PagingType.NONE || pagesDone >= spec.maxPages();
        if (paging.hasMorePointer() != null && answer.at(paging.hasMorePointer()).isBoolean()
                && !answer.at(paging.hasMorePointer()).booleanValue()) {
            last = true;
        }
        if (totalItems != null && seq >= totalItems) {
            last = true;
        }
        switch (paging.type()) {
            case PAGE -> {
                if (totalPages != null && position.number() - paging.start() + 1 >= totalPages) {
                    last = true;
                }
                position = new Position(position.number() + 1, null);
            }
            case OFFSET -> position = new Position(position.number() + size, null);
            case CURSOR -> {
                JsonNode next = answer.at(paging.cursorPointer());
                String cursor = next.isValueNode() && !next.isNull() ? next.asText() : null;
                if (cursor == null || cursor.isBlank() || cursor.equals(position.cursor())) {
                    last = true; // no next cursor, or the same one again: following it would loop
                } else {
                    position = new Position(0, cursor);
                }
            }
            case NONE -> {
            }
        }
        consumed = 0;
        items = null;
        answer = null;
        done = last;
        return batch(records, rejected);
    }

    private void load() {
        String what = describe(position);
        answer = http.fetch(sourceId, spec.request(position, criteria, auth), what, budget, false);
        items = recordsOf(answer, spec, what);
        HttpSourceSpec.Paging paging = spec.paging();
        if (paging.totalPointer() != null && answer.at(paging.totalPointer()).canConvertToLong()) {
            totalItems = answer.at(paging.totalPointer()).asLong();
        }
        if (paging.totalPagesPointer() != null && answer.at(paging.totalPagesPointer()).canConvertToLong()) {
            totalPages = answer.at(paging.totalPagesPointer()).asLong();
        }
    }

    /** The array of items the records pointer names; a page without one is malformed, and named in the error. */
    static JsonNode recordsOf(JsonNode answer, HttpSourceSpec spec, String what) {
        JsonNode items = answer.at(spec.recordsPointer());
        String pointer = spec.recordsPointer().toString();
        if (items.isMissingNode()) {
            throw new ConnectorException(SourceHttp.capitalised(what) + " of the source is malformed: it has nothing "
                    + "at the records pointer '" + pointer + "'");
        }
        if (!items.isArray()) {
            throw new ConnectorException(SourceHttp.capitalised(what) + " of the source is malformed: the records "
                    + "pointer '" + pointer + "' names " + items.getNodeType().name().toLowerCase() + ", not an array");
        }
        return items;
    }

    private ReadBatch batch(List<ScrapedRecord> records, List<ReadBatch.Rejection> rejected) {
        return new ReadBatch(records, rejected, checkpoint(), fraction(), done);
    }

    private Map<String, Object> checkpoint() {
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        switch (spec.paging().type()) {
            case PAGE -> checkpoint.put("page", position.number());
            case OFFSET -> checkpoint.put("offset", position.number());
            case CURSOR -> {
                if (position.cursor() != null) {
                    checkpoint.put("cursor", position.cursor());
                }
            }
            case NONE -> {
            }
        }
        checkpoint.put("consumed", consumed);
        checkpoint.put("seq", seq);
        checkpoint.put("pages_done", pagesDone);
        return checkpoint;
    }

    /** Pages read of the total pages, items of the total items, or (knowing neither) pages of {@code max_pages}. */
    private double fraction() {
        if (done) {
            return 1.0;
        }
        double pageShare = items == null || items.isEmpty() ? 0 : (double) consumed / items.size();
        double fraction;
        if (totalPages != null && totalPages > 0) {
            fraction = (pagesDone + pageShare) / totalPages;
        } else if (totalItems != null && totalItems > 0) {
            fraction = (double) seq / totalItems;
        } else {
            fraction = (pagesDone + pageShare) / spec.maxPages();
        }
        return Math.max(0, Math.min(0.99, fraction));
    }

    private String describe(Position at) {
        return switch (spec.paging().type()) {
            case PAGE -> "page " + at.number();
            case OFFSET -> "page at offset " + at.number();
            case CURSOR -> at.cursor() == null ? "page 1 (no cursor)" : "page " + (pagesDone + 1) + " (cursor)";
            case NONE -> "the page";
        };
    }

    private static long number(Map<String, Object> checkpoint, String key, long fallback) {
        return checkpoint.get(key) instanceof Number n ? n.longValue() : fallback;
    }
}
