package com.leadforge.scraping.job;

import java.io.InputStream;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.problem.RequiredBody;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Scraping jobs. agency_admin and researcher run them; super_admin acts on a chosen agency; a client (read-only, scoped
 * to campaigns it was granted) sees no jobs: they describe an agency's sourcing, not its campaigns' results.
 */
@Path("/api/v1/jobs")
@Tag(name = "Scraping jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
public class JobResource {

    private final JobService jobs;
    private final JobUploads uploads;

    public JobResource(JobService jobs, JobUploads uploads) {
        this.jobs = jobs;
        this.uploads = uploads;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a pending job for a data source (and optionally a campaign)")
    public Response create(@RequiredBody @Valid CreateJobRequest request) {
        ScrapingJob job = jobs.create(request);
        return Response.status(Response.Status.CREATED).header("Location", "/api/v1/jobs/" + job.id)
                .entity(JobView.of(job)).build();
    }

    /** The reference API's name for {@link #create}. */
    @POST
    @Path("/create")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a job (alias of POST /jobs)")
    public Response createAlias(@RequiredBody @Valid CreateJobRequest request) {
        return create(request);
    }

    @GET
    public Page<JobView> list(@Valid @BeanParam JobFilter filter, @Valid @BeanParam PageRequest page) {
        return jobs.list(filter, page);
    }

    @GET
    @Path("/{id}")
    public JobView get(@PathParam("id") UUID id) {
        return JobView.of(jobs.get(id));
    }

    @GET
    @Path("/{id}/logs")
    @Operation(summary = "The job's log, oldest first")
    public Page<JobLogView> logs(@PathParam("id") UUID id,
            @QueryParam("level") @Pattern(regexp = JobLog.Level.CODE_PATTERN,
                    message = "must be one of debug, info, warning, error") String level,
            @Valid @BeanParam PageRequest page) {
        return jobs.logs(id, level == null ? null : JobLog.Level.valueOf(level.toUpperCase(java.util.Locale.ROOT)),
                page);
    }

    @POST
    @Path("/{id}/start")
    public JobView start(@PathParam("id") UUID id) {
        return JobView.of(jobs.act(id, JobAction.START));
    }

    @POST
    @Path("/{id}/pause")
    public JobView pause(@PathParam("id") UUID id) {
        return JobView.of(jobs.act(id, JobAction.PAUSE));
    }

    @POST
    @Path("/{id}/resume")
    public JobView resume(@PathParam("id") UUID id) {
        return JobView.of(jobs.act(id, JobAction.RESUME));
    }

    @POST
    @Path("/{id}/cancel")
    public JobView cancel(@PathParam("id") UUID id) {
        return JobView.of(jobs.act(id, JobAction.CANCEL));
    }

    /**
     * The CSV file of a pending CSV job, as the request body ({@code text/csv}), streamed into storage; at most
     * {@code leadforge.jobs.upload-max-size} (50 MB). A second upload replaces the first until the job starts.
     */
    @PUT
    @Path("/{id}/file")
    @Consumes({ "text/csv", MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Upload the CSV file of a pending CSV job")
    public JobView upload(@PathParam("id") UUID id, InputStream body) {
        return JobView.of(uploads.store(id, body));
    }
}
