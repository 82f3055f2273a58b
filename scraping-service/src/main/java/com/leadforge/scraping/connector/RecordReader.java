package com.leadforge.scraping.connector;

/** Reads a job's records batch by batch from its checkpoint on. Not thread-safe: one worker owns it. */
public interface RecordReader extends AutoCloseable {

    /**
     * The next records (at most {@code maxRecords}, fewer at the end of a page or file) and where the reader stands
     * after them. {@link ReadBatch#exhausted()} once nothing is left. Transient failures (timeouts, 429, 5xx) are
     * retried inside; what is left is a {@link ConnectorException}.
     */
    ReadBatch next(int maxRecords);

    @Override
    default void close() {
    }
}
