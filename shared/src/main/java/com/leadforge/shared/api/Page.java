package com.leadforge.shared.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A page of results: {@code {data, meta:{total, totalIsExact, page, pageSize, hasMore}}}. {@code total} is exact unless
 * {@code totalIsExact} is false: a list may estimate it where counting every match would cost more than the page.
 */
public record Page<T>(List<T> data, Meta meta) {

    public record Meta(long total, @JsonProperty("totalIsExact") boolean totalIsExact, int page,
            @JsonProperty("pageSize") int pageSize, @JsonProperty("hasMore") boolean hasMore) {
    }

    public static <T> Page<T> of(List<T> data, long total, PageRequest request) {
        return new Page<>(data, new Meta(total, true, request.page(), request.pageSize(),
                (long) request.page() * request.pageSize() < total));
    }

    /** A page whose total may be an estimate; {@code hasMore} is known from the rows themselves. */
    public static <T> Page<T> of(List<T> data, long total, boolean totalIsExact, boolean hasMore,
            PageRequest request) {
        return new Page<>(data, new Meta(total, totalIsExact, request.page(), request.pageSize(), hasMore));
    }
}
