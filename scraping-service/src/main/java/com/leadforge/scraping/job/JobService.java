package com.leadforge.scraping.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.leadforge.scraping.campaign.CampaignReplica;
import com.leadforge.scraping.connector.Connectors;
import com.leadforge.scraping.datasource.DataSource;
import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/** Job use cases. Every query runs inside the caller's agency (tenant predicate and row-level security). */
@ApplicationScoped
public class JobService {

    private final TenantContext tenant;
    private final JobEvents events;
    private final JobRuns runs;
    private final Connectors connectors;
    private final JobWakeUp wakeUp;

    public JobService(TenantContext tenant, JobEvents events, JobRuns runs, Connectors connectors, JobWakeUp wakeUp) {
        this.tenant = tenant;
        this.events = events;
        this.runs = runs;
        this.connectors = connectors;
        this.wakeUp = wakeUp;
    }

    /** A pending job of a live data source of the agency, importing into one of its open campaigns (if named). */
    @Transactional
    public ScrapingJob create(CreateJobRequest request) {
        String agencyId = tenant.requireAgencyId();
        DataSource source = DataSource.<DataSource>find("id = ?1 and deletedAt is null", request.dataSourceId())
                .firstResultOptional()
                .orElseThrow(() -> invalid("data_source_id", "must be a data source of the agency"));
        if (request.campaignId() != null && !CampaignReplica.isOpen(request.campaignId())) {
            throw invalid("campaign_id", "must be a draft or active campaign of the agency");
        }
        Map<String, Object> config = request.config() == null ? Map.of() : request.config();
        Map<String, Object> criteria = request.searchCriteria() == null ? Map.of() : request.searchCriteria();
        connectors.forType(source.type).validateJob(source, criteria, config);
        Instant now = Instant.now();
        ScrapingJob job = new ScrapingJob();
        job.id = UUID.randomUUID();
        job.agencyId = agencyId;
        job.dataSourceId = source.id;
        job.sourceType = source.type;
        job.campaignId = request.campaignId();
        job.searchCriteria = criteria;
        job.config = config;
        job.createdBy = tenant.actor();
        job.createdAt = now;
        job.updatedAt = now;
        job.persist();
        // A plain increment: creating jobs concurrently must not conflict on the data source's version. Only a live
        // source counts: a delete that locked the row first has committed by now, and then no job may be created.
        int counted = ScrapingJob.getEntityManager().createNativeQuery(
                "update data_source set total_jobs = total_jobs + 1 where id = :id and deleted_at is null")
                .setParameter("id", source.id).executeUpdate();
        if (counted == 0) {
            throw invalid("data_source_id", "must be a data source of the agency");
        }
        JobLog.write(job.id, JobLog.Level.INFO, "Job created for data source " + source.name, null);
        events.append(EventType.SCRAPING_JOB_CREATED, job, tenant.actor(), now);
        return job;
    }

    @Transactional
    public ScrapingJob get(UUID id) {
        return ScrapingJob.<ScrapingJob>find("id", id).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Job", id));
    }

    @Transactional
    public Page<JobView> list(JobFilter filter, PageRequest page) {
        List<String> conditions = new ArrayList<>();
        Parameters parameters = new Parameters();
        filter.status().ifPresent(status -> {
            conditions.add("status = :status");
            parameters.and("status", status);
        });
        filter.dataSourceId().ifPresent(id -> {
            conditions.add("dataSourceId = :source");
            parameters.and("source", id);
        });
        filter.campaignId().ifPresent(id -> {
            conditions.add("campaignId = :campaign");
            parameters.and("campaign", id);
        });
        Sort newestFirst = Sort.descending("createdAt", "id");
        var query = (conditions.isEmpty() ? ScrapingJob.<ScrapingJob>findAll(newestFirst)
                : ScrapingJob.<ScrapingJob>find(String.join(" and ", conditions), newestFirst, parameters))
                .page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        return Page.of(query.list().stream().map(JobView::of).toList(), query.count(), page);
    }

    @Transactional
    public Page<JobLogView> logs(UUID jobId, JobLog.Level level, PageRequest page) {
        get(jobId);
        var query = (level == null ? JobLog.<JobLog>find("jobId", Sort.ascending("id"), jobId)
                : JobLog.<JobLog>find("jobId = ?1 and level = ?2", Sort.ascending("id"), jobId, level.code()))
                .page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        return Page.of(query.list().stream().map(JobLogView::of).toList(), query.count(), page);
    }

    /**
     * start, pause, resume or cancel. The row is locked so a transition and the worker's or the import results'
     * changes serialise; a transition the state does not allow is a 409 naming the ones it does.
     */
    @Transactional
    public ScrapingJob act(UUID id, JobAction action) {
        // Locked as it is read: locking a copy read a moment before fails with an optimistic-lock conflict whenever
        // the worker committed a batch in between (a pause of a running job would then be a spurious 409).
        ScrapingJob job = ScrapingJob.<ScrapingJob>find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional().orElseThrow(() -> ProblemException.notFound("Job", id));
        if (!action.allowedFrom(job.status)) {
            throw forbiddenAction(job.status, action);
        }
        if (action == JobAction.START) {
            connectors.forType(job.sourceType).checkReadyToStart(job);
        }
        Instant now = Instant.now();
        job.status = action.target();
        job.updatedAt = now;
        switch (action) {
            case START -> {
                job.startedAt = now;
                job.runningSince = now;
                runs.enqueue(job, now);
                wakeUp.afterCommit();
            }
            case RESUME -> {
                job.runningSince = now;
                runs.enqueue(job, now);
                wakeUp.afterCommit();
            }
            case PAUSE -> {
                job.stopClock(now);
                runs.dequeue(job.id);
            }
            case CANCEL -> {
                job.stopClock(now);
                job.completedAt = now;
                runs.dequeue(job.id);
            }
        }
        JobLog.write(job.id, JobLog.Level.INFO, "Job " + action.path() + " by " + tenant.actor(), null);
        events.append(switch (action) {
            case START -> EventType.SCRAPING_JOB_STARTED;
            case PAUSE -> EventType.SCRAPING_JOB_PAUSED;
            case RESUME -> EventType.SCRAPING_JOB_RESUMED;
            case CANCEL -> EventType.SCRAPING_JOB_CANCELLED;
        }, job, tenant.actor(), now);
        return job;
    }

    static ProblemException forbiddenAction(JobStatus current, JobAction action) {
        return new ProblemException(ProblemType.CONFLICT,
                "A " + current.code() + " job cannot " + action.path() + "; allowed: " + current.allowedActions(),
                List.of(new Problem.FieldError("status", "allowed from " + current.code() + ": "
                        + current.allowedActions())));
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
