package com.leadforge.shared.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Tracing is off unless there is an OTLP endpoint to export to, in every profile, and an explicit
 * {@code quarkus.otel.sdk.disabled} always wins. Library defaults (Quarkus' own {@code localhost:4317}) do not count.
 */
class TracingSwitchTest {

    @Test
    void offWithoutAnEndpointEvenThoughQuarkusHasADefaultOne() {
        assertEquals("true", sdkDisabled(Map.of(), "prod"));
        assertEquals("true", sdkDisabled(Map.of(), "test"));
    }

    @Test
    void onWhenAnEndpointIsConfigured() {
        assertEquals("false", sdkDisabled(Map.of(TracingSwitch.ENDPOINT, "http://collector:4317"), "prod"));
        assertEquals("false", sdkDisabled(Map.of(TracingSwitch.TRACES_ENDPOINT, "http://collector:4318"), "prod"));
        assertEquals("false", sdkDisabled(Map.of("%prod." + TracingSwitch.ENDPOINT, "http://collector:4317"), "prod"));
        assertEquals("true", sdkDisabled(Map.of("%prod." + TracingSwitch.ENDPOINT, "http://collector:4317"), "dev"));
        assertEquals("true", sdkDisabled(Map.of(TracingSwitch.ENDPOINT, " "), "prod"));
    }

    @Test
    void anExplicitSettingWins() {
        assertEquals("true", sdkDisabled(Map.of(TracingSwitch.ENDPOINT, "http://collector:4317",
                TracingSwitch.SDK_DISABLED, "true"), "prod"));
        assertEquals("false", sdkDisabled(Map.of(TracingSwitch.SDK_DISABLED, "false"), "test"));
    }

    private static String sdkDisabled(Map<String, String> properties, String profile) {
        Map<String, String> configured = new HashMap<>(properties);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile(profile)
                .withInterceptors(new TracingSwitch())
                // What Quarkus registers: a mapping default for the switch and a default endpoint.
                .withDefaultValue(TracingSwitch.SDK_DISABLED, "false")
                .withDefaultValue(TracingSwitch.ENDPOINT, "http://localhost:4317/")
                .withSources(new PropertiesConfigSource(configured, "application.properties", 250))
                .build();
        return config.getConfigValue(TracingSwitch.SDK_DISABLED).getValue();
    }
}
