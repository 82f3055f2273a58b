package com.leadforge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The alert rules pass promtool's check and unit tests (each alert fires in one case and stays silent in another),
 * the PrometheusRule is the rule file unchanged, and rules and dashboards query only metrics that exist.
 */
class MonitoringTest {

    static final String RULES = "k8s/monitoring/rules/leadforge-rules.yaml";
    static final String RULE_TESTS = "k8s/monitoring/rules/leadforge-rules.test.yaml";
    static final String PROMETHEUS_RULE = "k8s/monitoring/prometheus-rule.yaml";

    /**
     * What the services expose (docs/operations.md#metrics) plus kube-state-metrics and Prometheus' own {@code up}.
     * A name here that the code does not expose yet is listed under "metrics the code must expose" there.
     */
    static final Set<String> KNOWN_METRICS = Set.of(
            "leadforge_outbox_backlog", "leadforge_outbox_oldest_unpublished_age_seconds", "leadforge_outbox_parked_rows",
            "leadforge_outbox_parkings_total", "leadforge_outbox_published_total", "leadforge_outbox_publish_failures_total",
            "leadforge_events_consumed_total", "leadforge_events_retries_total", "leadforge_events_retrying",
            "kafka_consumer_fetch_manager_records_lag",
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum", "http_server_requests_seconds_bucket",
            "leadforge_gateway_rate_limit_rejections_total", "leadforge_gateway_breaker_state",
            "jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_pause_seconds_sum", "jvm_threads_live_threads",
            "process_cpu_usage", "agroal_active_count", "agroal_available_count", "agroal_awaiting_count",
            "kube_pod_container_status_restarts_total", "up");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");
    private static final Set<String> NOT_METRICS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    @Test
    void prometheusRuleIsTheRuleFileWrappedUnchanged() {
        String wrapped = Repo.read(PROMETHEUS_RULE);
        JsonNode resource = Repo.yaml(PROMETHEUS_RULE);
        assertEquals("PrometheusRule", resource.path("kind").asText());
        assertTrue(Repo.yaml(RULES).path("groups").equals(resource.at("/spec/groups")),
                "the PrometheusRule's groups differ from " + RULES + ": run deploy/tools/gen-prometheus-rule.sh");
        String rules = Repo.read(RULES);
        StringBuilder expected = new StringBuilder();
        for (String line : rules.substring(rules.indexOf("\ngroups:") + 1).split("\n", -1)) {
            expected.append(line.isEmpty() ? "" : "  " + line).append('\n');
        }
        String body = wrapped.substring(wrapped.indexOf("\nspec:\n") + "\nspec:\n".length());
        assertTrue(expected.toString().stripTrailing().equals(body.stripTrailing()),
                PROMETHEUS_RULE + " is not the wrapped " + RULES + ": run deploy/tools/gen-prometheus-rule.sh");
    }

    @Test
    void ruleFilePassesPromtoolCheck() {
        Repo.requireTool("promtool", "promtool check rules");
        Repo.Result result = Repo.run("promtool", "check", "rules", RULES);
        Repo.assertSucceeded(result, "promtool check rules " + RULES);
        System.out.println("[deploy-checks] promtool check rules: " + result.output().strip().replace('\n', ' '));
    }

    @Test
    void alertUnitTestsPassInPromtool() {
        Repo.requireTool("promtool", "promtool test rules");
        Repo.Result result = Repo.run("promtool", "test", "rules", RULE_TESTS);
        Repo.assertSucceeded(result, "promtool test rules " + RULE_TESTS);
        assertTrue(result.output().contains("SUCCESS"), result.output());
        System.out.println("[deploy-checks] promtool test rules: " + alerts().size() + " alerts, SUCCESS");
    }

    @Test
    void everyAlertHasACaseWhereItFiresAndOneWhereItStaysSilent() {
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : Repo.yaml(RULE_TESTS).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? silent : fires).add(check.path("alertname").asText());
            }
        }
        Set<String> alerts = alerts();
        assertEquals(alerts, fires, "alerts without a firing case");
        assertEquals(alerts, silent, "alerts without a silent case");
        assertTrue(alerts.containsAll(List.of("LeadForgeOutboxDelayed", "LeadForgeConsumerLagGrowing",
                "LeadForgeEventsDeadLettered", "LeadForgeEventsRetrying", "LeadForgeHighErrorRate",
                "LeadForgeLatencyAboveSLO", "LeadForgeGatewayBreakerOpen", "LeadForgePodRestarting")), alerts.toString());
    }

    @Test
    void rulesAndDashboardsQueryOnlyMetricsTheServicesExpose() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : Repo.yaml(RULES).path("groups")) {
            group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText()));
        }
        for (Path file : dashboards()) {
            Repo.JSON.readTree(file.toFile()).findValues("expr").forEach(e -> expressions.add(e.asText()));
        }
        Set<String> used = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = SELECTOR.matcher(expr);
            while (m.find()) {
                if (!NOT_METRICS.contains(m.group(1))) {
                    used.add(m.group(1));
                }
            }
        }
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(KNOWN_METRICS);
        assertTrue(unknown.isEmpty(), "queries use metrics nobody exposes: " + unknown);
        assertTrue(used.size() > 15, "metric selectors found: " + used);
    }

    @Test
    void everyServiceHasADashboardAndAllShipAsGrafanaSidecarConfigMaps() throws IOException {
        String kustomization = Repo.read("k8s/monitoring/kustomization.yaml");
        assertTrue(kustomization.contains("grafana_dashboard: \"1\""), "sidecar label");
        Set<String> uids = new HashSet<>();
        Set<String> names = new TreeSet<>();
        for (Path file : dashboards()) {
            JsonNode dashboard = Repo.JSON.readTree(file.toFile());
            assertTrue(uids.add(dashboard.path("uid").asText()), "duplicate uid in " + file);
            assertFalse(dashboard.path("panels").isEmpty(), file + " has panels");
            String name = file.getFileName().toString();
            names.add(name.replace(".json", ""));
            assertTrue(kustomization.contains("=dashboards/" + name), name + " is shipped as a ConfigMap");
        }
        Set<String> expected = new TreeSet<>(KubernetesOverlaysTest.SERVICES);
        expected.add("overview");
        assertEquals(expected, names);
    }

    private static Set<String> alerts() {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : Repo.yaml(RULES).path("groups")) {
            group.path("rules").forEach(rule -> alerts.add(rule.path("alert").asText()));
        }
        return alerts;
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(Repo.path("k8s/monitoring/dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }
}
