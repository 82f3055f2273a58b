package com.leadforge.scraping.connector.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * A job's uploaded CSV file, stored in the database in chunks of {@link #CHUNK_BYTES} (so any replica can read it, and
 * a job resumed elsewhere finds it) and read back as a stream, one chunk in memory at a time.
 */
@ApplicationScoped
public class CsvUploads {

    static final int CHUNK_BYTES = 1024 * 1024;

    private final EntityManager entityManager;

    public CsvUploads(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Stores the stream, replacing an earlier upload; must run in a transaction, inside the job's agency. Returns the
     * size. More than {@code maxBytes} is refused with {@link UploadTooLargeException} (and the transaction rolls
     * back), having read at most one chunk beyond the limit.
     */
    public long store(UUID jobId, String agencyId, InputStream body, long maxBytes) {
        entityManager.createNativeQuery("delete from scraping_job_upload where job_id = :job")
                .setParameter("job", jobId).executeUpdate();
        long total = 0;
        int chunkNo = 0;
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            while (true) {
                int filled = body.readNBytes(buffer, 0, CHUNK_BYTES);
                if (filled == 0) {
                    break;
                }
                total += filled;
                if (total > maxBytes) {
                    throw new UploadTooLargeException(maxBytes);
                }
                byte[] chunk = filled == CHUNK_BYTES ? buffer.clone() : java.util.Arrays.copyOf(buffer, filled);
                entityManager.createNativeQuery("""
                        insert into scraping_job_upload (job_id, agency_id, chunk_no, data)
                        values (:job, :agency, :chunk, :data)""")
                        .setParameter("job", jobId).setParameter("agency", agencyId)
                        .setParameter("chunk", chunkNo++).setParameter("data", chunk)
                        .executeUpdate();
                if (filled < CHUNK_BYTES) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The upload was interrupted", e);
        }
        return total;
    }

    /** The stored file as a stream; each chunk is read in a short transaction of its own when the reader needs it. */
    public InputStream open(UUID jobId) {
        return new InputStream() {
            private int nextChunk;
            private byte[] current = new byte[0];
            private int position;
            private boolean ended;

            @Override
            public int read() {
                if (!fill()) {
                    return -1;
                }
                return current[position++] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int count = Math.min(length, current.length - position);
                System.arraycopy(current, position, target, offset, count);
                position += count;
                return count;
            }

            private boolean fill() {
                while (position >= current.length) {
                    if (ended) {
                        return false;
                    }
                    byte[] chunk = QuarkusTransaction.requiringNew().call(() -> {
                        var rows = entityManager.createNativeQuery(
                                "select data from scraping_job_upload where job_id = :job and chunk_no = :chunk")
                                .setParameter("job", jobId).setParameter("chunk", nextChunk).getResultList();
                        return rows.isEmpty() ? null : (byte[]) rows.get(0);
                    });
                    nextChunk++;
                    if (chunk == null) {
                        ended = true;
                        return false;
                    }
                    current = chunk;
                    position = 0;
                }
                return true;
            }
        };
    }

    /** The upload exceeds the documented limit. */
    public static class UploadTooLargeException extends RuntimeException {
        public final long maxBytes;

        UploadTooLargeException(long maxBytes) {
            super("The file is larger than " + maxBytes + " bytes");
            this.maxBytes = maxBytes;
        }
    }
}
