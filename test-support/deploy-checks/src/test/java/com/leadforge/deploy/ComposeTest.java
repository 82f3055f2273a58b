package com.leadforge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * docker-compose.yml is valid and builds every service from source (no ./mvnw package first), with health checks
 * on the management port. The images themselves need a Docker engine and are not built here.
 */
class ComposeTest {

    @Test
    void composeFileIsValid() {
        Repo.requireTool("docker-compose", "docker-compose config -q");
        Repo.Result result = Repo.run("docker-compose", "-f", "docker-compose.yml", "config", "-q");
        Repo.assertSucceeded(result, "docker-compose -f docker-compose.yml config -q");
        System.out.println("[deploy-checks] docker-compose config -q: valid");
    }

    @Test
    void everyServiceBuildsFromSourceWithAMultiStageDockerfileAndIsCheckedOnItsManagementPort() {
        JsonNode services = Repo.yaml("docker-compose.yml").path("services");
        String compose = Repo.read("docker-compose.yml");
        for (String service : KubernetesOverlaysTest.SERVICES) {
            JsonNode build = services.path(service).path("build");
            assertEquals(".", build.path("context").asText(), service + ": build context = repository root");
            String dockerfile = build.path("dockerfile").asText();
            assertEquals(service + "/src/main/docker/Dockerfile.multistage", dockerfile);
            String text = Repo.read(dockerfile);
            assertTrue(text.contains("./mvnw -B -ntp -pl " + service + " -am package"), service + ": builds with -am");
            assertTrue(text.matches("(?s).*FROM maven:[^\\n]*temurin-17 AS build.*"), service + ": Maven + JDK 17 stage");
            assertTrue(Files.exists(Repo.path(service + "/src/main/docker/Dockerfile.jvm")));
            // The services share the anchored health check (Jackson does not resolve YAML aliases: check the text).
            assertTrue(compose.matches("(?s).*\\n  " + service + ":\\n(    [^\\n]*\\n)*    healthcheck: \\*service-healthcheck\\n.*"),
                    service + ": uses the shared health check");
        }
        assertTrue(compose.contains("http://localhost:$${QUARKUS_MANAGEMENT_PORT}/q/health/ready"),
                "the shared health check asks readiness on the management port");
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> service = it.next();
            boolean oneShot = "no".equals(service.getValue().path("restart").asText());
            assertTrue(oneShot || service.getValue().has("healthcheck"), service.getKey() + " has a health check");
        }
    }
}
