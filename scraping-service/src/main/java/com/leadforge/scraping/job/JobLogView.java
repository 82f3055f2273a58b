package com.leadforge.scraping.job;

import java.time.Instant;
import java.util.Map;

public record JobLogView(long id, String level, String message, Map<String, Object> details, Instant createdAt) {

    static JobLogView of(JobLog line) {
        return new JobLogView(line.id, line.level, line.message, line.details, line.createdAt);
    }
}
