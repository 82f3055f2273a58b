package com.leadforge.scraping.connector;

import java.util.List;
import java.util.Map;

import com.leadforge.shared.events.ScrapedRecord;

/**
 * One step of a reader.
 *
 * @param records records to import, each with its stable sequence number in the job
 * @param rejected rows the reader itself could not turn into a record (unparseable CSV row, page item without the
 *        expected shape): counted as rejected, logged, never sent
 * @param checkpoint where to resume after this batch
 * @param fractionRead estimate of the share of the source read so far, 0..1
 * @param exhausted nothing left to read after this batch
 */
public record ReadBatch(List<ScrapedRecord> records, List<Rejection> rejected, Map<String, Object> checkpoint,
        double fractionRead, boolean exhausted) {

    /** A row the reader rejected: its sequence number, and why. */
    public record Rejection(long seq, String reason, String detail) {
    }

    public int size() {
        return records.size() + rejected.size();
    }
}
