package com.leadforge.shared.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Production never runs on local defaults: each service's {@code %prod} profile names every setting it cannot do
 * without as {@code leadforge.required.<what>=${ENV_VAR}}. They are resolved during configuration validation when the
 * service starts — before anything connects anywhere — and every missing variable is reported at once, one line each:
 * {@code SRCFG00011: Could not expand value QUARKUS_DATASOURCE_PASSWORD in property
 * leadforge.required.database-password}. Dev and test name none and keep their local defaults.
 *
 * <p>The values are not used (and never logged: some are secrets); a service lists only the members that apply to it.
 * (Members are plain strings with a default, not {@code Optional}: an expression that cannot be expanded is an error
 * for a plain member, but would pass as "absent" for an optional one.)
 */
@ConfigMapping(prefix = "leadforge.required")
public interface RequiredSettings {

    /** What a requirement a service does not name resolves to. */
    String NOT_REQUIRED = "not-required";

    /** {@code QUARKUS_DATASOURCE_JDBC_URL} */
    @WithDefault(NOT_REQUIRED)
    String databaseUrl();

    /** {@code QUARKUS_DATASOURCE_USERNAME} */
    @WithDefault(NOT_REQUIRED)
    String databaseUsername();

    /** {@code QUARKUS_DATASOURCE_PASSWORD} */
    @WithDefault(NOT_REQUIRED)
    String databasePassword();

    /** {@code KAFKA_BOOTSTRAP_SERVERS} */
    @WithDefault(NOT_REQUIRED)
    String kafkaBootstrapServers();

    /** {@code QUARKUS_OIDC_AUTH_SERVER_URL} */
    @WithDefault(NOT_REQUIRED)
    String oidcServerUrl();

    /** scraping-service: {@code LEADFORGE_CRYPTO_ACTIVE_KEY} (the key itself is checked by the service). */
    @WithDefault(NOT_REQUIRED)
    String credentialKeyId();

    /** gateway: {@code LEADFORGE_GATEWAY_SERVICES_LEADS} */
    @WithDefault(NOT_REQUIRED)
    String leadsServiceUrl();

    /** gateway: {@code LEADFORGE_GATEWAY_SERVICES_CAMPAIGNS} */
    @WithDefault(NOT_REQUIRED)
    String campaignsServiceUrl();

    /** gateway: {@code LEADFORGE_GATEWAY_SERVICES_SCRAPING} */
    @WithDefault(NOT_REQUIRED)
    String scrapingServiceUrl();

    /** gateway: {@code LEADFORGE_GATEWAY_SERVICES_ANALYTICS} */
    @WithDefault(NOT_REQUIRED)
    String analyticsServiceUrl();
}
