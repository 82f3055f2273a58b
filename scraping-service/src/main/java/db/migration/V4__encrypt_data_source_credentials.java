package db.migration;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import com.leadforge.scraping.credentials.CredentialCipher;
import com.leadforge.scraping.datasource.DataSource;

/**
 * Data-source credentials leave plaintext JSONB: every existing value is sealed (AES-256-GCM under the active key,
 * see {@link CredentialCipher}) into {@code credentials_ciphertext}, and the plaintext column is dropped, all in this
 * migration's transaction. A Java migration because only the service holds the key. Row-level security is lifted
 * for the owner inside the transaction only (the rows of every agency must be sealed) and forced again before it
 * commits. The key is needed only when there are rows to seal.
 *
 * <p>PostgreSQL keeps superseded row versions on disk until they are vacuumed (and backups keep what they hold):
 * operators should run {@code VACUUM FULL data_source} once after this migration (scraping-service README).
 */
public class V4__encrypt_data_source_credentials extends BaseJavaMigration {

    private final Supplier<CredentialCipher> cipher;

    public V4__encrypt_data_source_credentials() {
        this(() -> CredentialCipher.fromConfig(ConfigProvider.getConfig()));
    }

    /** For tests that migrate a database outside the application. */
    public V4__encrypt_data_source_credentials(Supplier<CredentialCipher> cipher) {
        this.cipher = cipher;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("""
                    alter table data_source add column credentials_ciphertext text
                        constraint data_source_credentials_sealed check (credentials_ciphertext like 'lfc1:%')""");
            ddl.execute("comment on column data_source.credentials_ciphertext is "
                    + "'Connector secrets, AES-256-GCM sealed by the service: lfc1:<key id>:<nonce>:<ciphertext>'");
            ddl.execute("alter table data_source no force row level security");
        }
        Map<UUID, String> sealed = new LinkedHashMap<>();
        try (Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("""
                        select id, agency_id, credentials::text from data_source
                        where credentials is not null and credentials <> '{}'::jsonb""")) {
            CredentialCipher keys = null;
            while (rows.next()) {
                if (keys == null) {
                    keys = cipher.get();
                }
                UUID id = rows.getObject(1, UUID.class);
                sealed.put(id, keys.seal(rows.getString(3).getBytes(StandardCharsets.UTF_8),
                        DataSource.credentialContext(rows.getString(2), id)));
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "update data_source set credentials_ciphertext = ?, credentials = null where id = ?")) {
            for (Map.Entry<UUID, String> row : sealed.entrySet()) {
                update.setString(1, row.getValue());
                update.setObject(2, row.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("alter table data_source drop column credentials");
            ddl.execute("alter table data_source force row level security");
        }
    }
}
