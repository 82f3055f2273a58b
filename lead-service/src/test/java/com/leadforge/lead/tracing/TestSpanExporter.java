package com.leadforge.lead.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps finished spans in memory instead of exporting them (Quarkus uses a SpanExporter bean when there is one). Only
 * a test profile that turns tracing on makes any; everywhere else the SDK is off and this stays empty.
 */
@Singleton
public class TestSpanExporter {

    @Produces
    @Singleton
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
