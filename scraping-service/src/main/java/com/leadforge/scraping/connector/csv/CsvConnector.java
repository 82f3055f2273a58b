package com.leadforge.scraping.connector.csv;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import com.leadforge.scraping.connector.ConnectionTest;
import com.leadforge.scraping.connector.Connector;
import com.leadforge.scraping.connector.ConnectorException;
import com.leadforge.scraping.connector.JobSource;
import com.leadforge.scraping.connector.ReadBatch;
import com.leadforge.scraping.connector.RecordReader;
import com.leadforge.scraping.datasource.DataSource;
import com.leadforge.scraping.datasource.DataSourceType;
import com.leadforge.scraping.job.ScrapingJob;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * CSV upload: the file is uploaded to the job ({@code PUT /api/v1/jobs/{id}/file}), stored in chunks, and parsed as a
 * stream when the job runs: one row at a time, never the whole file in memory. Sequence number = data row number
 * (1-based, header excluded), which is also the checkpoint: a resumed job re-parses up to its row and goes on.
 * Config: {@code delimiter} (one character, default {@code ,}), {@code mapping} (lead field → header).
 */
@ApplicationScoped
public class CsvConnector implements Connector {

    /** Longest value kept from a cell; longer ones are cut (lead-service rejects over-long lead fields itself). */
    static final int MAX_CELL = 2000;

    private final CsvUploads uploads;

    public CsvConnector(CsvUploads uploads) {
        this.uploads = uploads;
    }

    @Override
    public Set<DataSourceType> types() {
        return Set.of(DataSourceType.CSV);
    }

    @Override
    public void validateSourceConfig(DataSourceType type, Map<String, Object> config) {
        validate(config, "config");
    }

    @Override
    public void validateJob(DataSource source, Map<String, Object> searchCriteria, Map<String, Object> config) {
        validate(config, "config");
    }

    @Override
    public void checkReadyToStart(ScrapingJob job) {
        if (job.uploadBytes == null) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "A CSV job needs its file before it can start: PUT /api/v1/jobs/" + job.id + "/file",
                    List.of(new Problem.FieldError("file", "not uploaded yet")));
        }
    }

    @Override
    public ConnectionTest test(DataSource source, Map<String, Object> credentials) {
        return ConnectionTest.ok("CSV data sources read uploaded files; there is no remote endpoint to reach");
    }

    /** Opens the reader over the job's stored file, skipping the rows its checkpoint says were sent. */
    @Override
    public RecordReader open(JobSource job) {
        Map<String, Object> config = new HashMap<>(job.sourceConfig());
        config.putAll(job.jobConfig());
        return new CsvRecordReader(job, uploads, job.uploadBytes() == null ? 0 : job.uploadBytes(), config);
    }

    static char delimiter(Map<String, Object> config) {
        Object value = config.get("delimiter");
        return value == null ? ',' : value.toString().charAt(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> mapping(Map<String, Object> config) {
        Object value = config.get("mapping");
        if (value == null) {
            return Map.of();
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        ((Map<String, Object>) value).forEach((field, column) -> mapping.put(field, column.toString()));
        return mapping;
    }

    private static void validate(Map<String, Object> config, String prefix) {
        Object delimiter = config.get("delimiter");
        if (delimiter != null && (!(delimiter instanceof String text) || text.length() != 1 || text.equals("\"")
                || text.equals("\n") || text.equals("\r"))) {
            throw invalid(prefix + ".delimiter", "must be one character other than a quote or a line break");
        }
        Object mapping = config.get("mapping");
        if (mapping != null) {
            if (!(mapping instanceof Map<?, ?> map)) {
                throw invalid(prefix + ".mapping", "must be an object of lead field to column header");
            }
            for (var entry : map.entrySet()) {
                if (!CsvColumns.FIELDS.contains(entry.getKey())) {
                    throw invalid(prefix + ".mapping." + entry.getKey(), "is not a lead field; one of "
                            + String.join(", ", CsvColumns.FIELDS));
                }
                if (!(entry.getValue() instanceof String column) || column.isBlank() || column.length() > 200) {
                    throw invalid(prefix + ".mapping." + entry.getKey(), "must be a column header");
                }
            }
        }
        for (String key : config.keySet()) {
            if (!Set.of("delimiter", "mapping").contains(key)) {
                throw invalid(prefix + "." + key, "is not a CSV setting; allowed: delimiter, mapping");
            }
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    /** Streams the stored file. */
    static final class CsvRecordReader implements RecordReader {

        private final CSVParser parser;
        private final Iterator<CSVRecord> rows;
        private final CsvColumns columns;
        private final long totalBytes;
        private long row;
        private long lastPosition;

        CsvRecordReader(JobSource job, CsvUploads uploads, long totalBytes, Map<String, Object> config) {
            this.totalBytes = totalBytes;
            Reader reader = new InputStreamReader(uploads.open(job.jobId()), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            try {
                parser = CSVFormat.RFC4180.builder().setDelimiter(delimiter(config)).setHeader()
                        .setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setTrim(true)
                        .setAllowMissingColumnNames(true).setDuplicateHeaderMode(
                                org.apache.commons.csv.DuplicateHeaderMode.ALLOW_ALL)
                        .get().parse(reader);
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                throw new ConnectorException("The file's header cannot be read: " + e.getMessage());
            }
            try {
                columns = CsvColumns.of(parser.getHeaderNames(), mapping(config));
            } catch (IllegalArgumentException e) {
                throw new ConnectorException(e.getMessage());
            }
            if (!columns.mapsAnyIdentity()) {
                throw new ConnectorException("No column of the header maps to a lead field (first_name, last_name, "
                        + "email, phone, company, title, linkedin_url); set config.mapping");
            }
            rows = parser.iterator();
            long resumeAfter = job.checkpoint().get("row") instanceof Number n ? n.longValue() : 0;
            while (row < resumeAfter && hasNext()) {
                rows.next();
                row++;
            }
        }

        @Override
        public ReadBatch next(int maxRecords) {
            List<ScrapedRecord> records = new ArrayList<>();
            List<ReadBatch.Rejection> rejected = new ArrayList<>();
            while (records.size() + rejected.size() < maxRecords && hasNext()) {
                CSVRecord csv;
                try {
                    csv = rows.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    // An unterminated quote swallows the rest of the file: nothing after it can be read reliably.
                    throw new ConnectorException("The file cannot be parsed after data row " + row + ": "
                            + e.getMessage());
                }
                row++;
                lastPosition = csv.getCharacterPosition();
                if (csv.size() > parser.getHeaderNames().size()) {
                    rejected.add(new ReadBatch.Rejection(row, "column_count",
                            "row has " + csv.size() + " columns, the header " + parser.getHeaderNames().size()));
                    continue;
                }
                records.add(toRecord(row, csv));
            }
            boolean exhausted = !hasNext();
            double fraction = exhausted ? 1.0
                    : totalBytes <= 0 ? 0 : Math.min(0.99, position() / totalBytes);
            return new ReadBatch(records, rejected, Map.of("row", row), fraction, exhausted);
        }

        private double position() {
            // Characters read so far approximate bytes for the mostly-ASCII files CSV exports are.
            return lastPosition;
        }

        private boolean hasNext() {
            try {
                return rows.hasNext();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw new ConnectorException("The file cannot be parsed after data row " + row + ": "
                        + e.getMessage());
            }
        }

        private ScrapedRecord toRecord(long seq, CSVRecord csv) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            columns.metadataColumns.forEach((index, header) -> {
                String value = cell(csv, index);
                if (value != null) {
                    metadata.put(header, value);
                }
            });
            return new ScrapedRecord(seq, field(csv, "first_name"), field(csv, "last_name"), field(csv, "email"),
                    field(csv, "phone"), field(csv, "company"), field(csv, "title"), field(csv, "linkedin_url"),
                    metadata.isEmpty() ? null : metadata);
        }

        private String field(CSVRecord csv, String field) {
            Integer index = columns.fieldColumns.get(field);
            return index == null ? null : cell(csv, index);
        }

        private static String cell(CSVRecord csv, int index) {
            if (index >= csv.size()) {
                return null;
            }
            String value = csv.get(index);
            if (value == null || value.isBlank()) {
                return null;
            }
            return value.length() > MAX_CELL ? value.substring(0, MAX_CELL) : value;
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                // Nothing was written: closing a read-only stream cannot lose anything.
            }
        }
    }
}
