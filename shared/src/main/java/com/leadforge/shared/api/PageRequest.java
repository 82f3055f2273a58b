package com.leadforge.shared.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** {@code page} (1-based) and {@code pageSize} (bounded, so no request can ask for an unbounded result). */
public class PageRequest {

    public static final int MAX_PAGE_SIZE = 100;

    @QueryParam("page")
    @DefaultValue("1")
    @Min(1)
    @Max(100_000)
    int page = 1;

    @QueryParam("pageSize")
    @DefaultValue("20")
    @Min(1)
    @Max(MAX_PAGE_SIZE)
    int pageSize = 20;

    public PageRequest() {
    }

    public PageRequest(int page, int pageSize) {
        this.page = page;
        this.pageSize = pageSize;
    }

    public int page() {
        return page;
    }

    public int pageSize() {
        return pageSize;
    }

    public int offset() {
        return (page - 1) * pageSize;
    }
}
