package com.leadforge.shared.observability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * The public server on a fixed port and the management server on a random one register the same Vert.x meters with
 * and without a {@code server.port} tag; unfiltered, Prometheus refuses the second and the server never starts.
 */
class ServerPortTagTest {

    @Test
    void a_meter_tagged_with_a_port_and_one_without_both_register_once_the_port_tag_is_dropped() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.throwExceptionOnRegistrationFailure(); // as Quarkus configures it
        registry.config().meterFilter(new HttpServerHistograms().withoutServerPort());

        registry.summary("http.server.bytes.read", "server.port", "8084").record(3);
        registry.summary("http.server.bytes.read").record(2);

        String scrape = registry.scrape();
        assertTrue(scrape.contains("http_server_bytes_read_sum 5.0"), scrape);
        assertFalse(scrape.contains("server_port"), scrape);
    }

    @Test
    void without_the_filter_prometheus_refuses_the_second_meter() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.throwExceptionOnRegistrationFailure(); // as Quarkus configures it

        registry.summary("http.server.bytes.read", "server.port", "8084");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> registry.summary("http.server.bytes.read"));
        assertTrue(refused.getMessage().contains("same set of tag keys"), refused.getMessage());
    }
}
