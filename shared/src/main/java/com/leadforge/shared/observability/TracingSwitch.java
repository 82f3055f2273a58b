package com.leadforge.shared.observability;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Tracing is on exactly when there is somewhere to send it: unless {@code quarkus.otel.sdk.disabled} is set
 * explicitly, it answers {@code false} when an OTLP endpoint is configured ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}
 * or {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, from any source) and {@code true} otherwise. Without it
 * Quarkus would export to {@code localhost:4317} by default and log a failed export every few seconds on every
 * machine that runs no collector (dev, tests, the local stack); with the SDK disabled, no span is even created.
 */
@Priority(Priorities.APPLICATION)
public class TracingSwitch implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    /**
     * Below this a value is a library default (mapping defaults, Quarkus' recorded defaults), not something a person
     * configured: microprofile-config.properties has 100, application.properties 250, the environment 300.
     */
    private static final int CONFIGURED_ORDINAL = 100;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!SDK_DISABLED.equals(name) || isConfigured(value)) {
            return value;
        }
        boolean endpointGiven = isConfigured(context.restart(TRACES_ENDPOINT))
                || isConfigured(context.restart(ENDPOINT));
        return ConfigValue.builder()
                .withName(name)
                .withValue(String.valueOf(!endpointGiven))
                .withRawValue(String.valueOf(!endpointGiven))
                .withConfigSourceName(TracingSwitch.class.getSimpleName())
                .withConfigSourceOrdinal(CONFIGURED_ORDINAL - 1)
                .build();
    }

    /** Names the switch too, so that whoever lists the configuration (Quarkus hands it to the SDK) sees it. */
    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(names::add);
        names.add(SDK_DISABLED);
        return names.iterator();
    }

    private static boolean isConfigured(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() >= CONFIGURED_ORDINAL;
    }
}
