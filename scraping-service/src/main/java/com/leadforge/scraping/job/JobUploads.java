package com.leadforge.scraping.job;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.leadforge.scraping.connector.csv.CsvUploads;
import com.leadforge.scraping.datasource.DataSourceType;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Stores a CSV job's file (only while the job is pending: a running job's source must not change under it). */
@ApplicationScoped
public class JobUploads {

    private final JobService jobs;
    private final CsvUploads store;
    private final long maxBytes;

    public JobUploads(JobService jobs, CsvUploads store,
            @ConfigProperty(name = "leadforge.jobs.upload-max-size", defaultValue = "50M") MemorySize maxSize) {
        this.jobs = jobs;
        this.store = store;
        this.maxBytes = maxSize.asLongValue();
    }

    @Transactional
    public ScrapingJob store(UUID id, InputStream body) {
        ScrapingJob job = jobs.getLocked(id);
        if (job.sourceType != DataSourceType.CSV) {
            throw new ProblemException(ProblemType.CONFLICT, "Only jobs of a csv data source take a file",
                    List.of(new Problem.FieldError("file", "this job reads a " + job.sourceType.code() + " source")));
        }
        if (job.status != JobStatus.PENDING) {
            throw new ProblemException(ProblemType.CONFLICT, "The file of a " + job.status.code()
                    + " job cannot change; upload it before starting the job",
                    List.of(new Problem.FieldError("status", "must be pending")));
        }
        long size;
        try {
            size = store.store(job.id, job.agencyId, body, maxBytes);
        } catch (CsvUploads.UploadTooLargeException e) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage());
        }
        if (size == 0) {
            throw new ProblemException(ProblemType.VALIDATION, "The file is empty",
                    List.of(new Problem.FieldError("file", "must not be empty")));
        }
        job.uploadBytes = size;
        job.updatedAt = Instant.now();
        JobLog.write(job.id, JobLog.Level.INFO, "File uploaded: " + size + " bytes", Map.of("bytes", size));
        return job;
    }
}
