package com.leadforge.shared.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A page of results: {@code {data, meta:{total, total_is_exact, page, page_size, has_more}}}. {@code total} is exact
 * unless {@code total_is_exact} is false: a list may estimate it where counting every match would cost more than the
 * page. Member names are fixed here (snake_case, like every JSON member of the API) whatever a service's naming.
 */
public record Page<T>(List<T> data, Meta meta) {

    public record Meta(long total, @JsonProperty("total_is_exact") boolean totalIsExact, int page,
            @JsonProperty("page_size") int pageSize, @JsonProperty("has_more") boolean hasMore) {
    }

    public static <T> Page<T> of(List<T> data, long total, PageRequest request) {
        return new Page<>(data, new Meta(total, true, request.page(), request.pageSize(),
                (long) request.page() * request.pageSize() < total));
    }

    /** A page whose total may be an estimate; {@code has_more} is known from the rows themselves. */
    public static <T> Page<T> of(List<T> data, long total, boolean totalIsExact, boolean hasMore,
            PageRequest request) {
        return new Page<>(data, new Meta(total, totalIsExact, request.page(), request.pageSize(), hasMore));
    }
}
