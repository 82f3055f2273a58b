package com.leadforge.lead.tracing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Tracing as production has it with a collector configured, exporting to memory at once. */
public class TracingOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "50ms");
    }
}
