package com.leadforge.scraping.datasource;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.leadforge.scraping.connector.ConnectionTest;
import com.leadforge.scraping.connector.Connectors;
import com.leadforge.scraping.credentials.CredentialCipher;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /api/v1/data-sources/{id}/test}: the connector really reaches the source with the stored credentials
 * (bounded by {@code leadforge.connectors.http.test-timeout}), outside any transaction so no database connection
 * waits on a remote API; then the outcome is recorded ({@code last_test_*}, status active or error, the tested event).
 */
@ApplicationScoped
public class DataSourceTests {

    private final DataSourceService dataSources;
    private final Connectors connectors;

    public DataSourceTests(DataSourceService dataSources, Connectors connectors) {
        this.dataSources = dataSources;
        this.connectors = connectors;
    }

    public DataSourceTestResponse test(UUID id) {
        DataSource source = dataSources.get(id);
        ConnectionTest result;
        try {
            Map<String, Object> credentials = dataSources.openCredentials(source);
            result = connectors.forType(source.type).test(source, credentials);
        } catch (CredentialCipher.UnreadableException e) {
            result = ConnectionTest.failed("The credentials cannot be opened (the key they were sealed with is not "
                    + "configured any more); set them again");
        }
        Instant at = Instant.now();
        dataSources.recordTest(id, result, at);
        return new DataSourceTestResponse(result.success(), result.message(), at);
    }
}
