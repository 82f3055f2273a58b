package com.leadforge.scraping.datasource;

import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.scraping.job.JobFilter;
import com.leadforge.scraping.job.JobService;
import com.leadforge.scraping.job.JobView;
import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.problem.RequiredBody;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Data sources. super_admin (acting on a chosen agency), agency_admin and researcher create, change and test them;
 * only admins delete; a client reads them (not their jobs: jobs describe the agency's sourcing, see the jobs API).
 */
@Path("/api/v1/data-sources")
@Tag(name = "Data sources")
@Produces(MediaType.APPLICATION_JSON)
public class DataSourceResource {

    private final DataSourceService dataSources;
    private final DataSourceTests tests;
    private final JobService jobs;

    public DataSourceResource(DataSourceService dataSources, DataSourceTests tests, JobService jobs) {
        this.dataSources = dataSources;
        this.tests = tests;
        this.jobs = jobs;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    @Operation(summary = "Create a data source (inactive until a connection test succeeds)")
    public Response create(@RequiredBody @Valid CreateDataSourceRequest request) {
        DataSource source = dataSources.create(request);
        // A path, not an absolute URI: behind the gateway this service's own host name means nothing to clients.
        return Response.status(Response.Status.CREATED).header("Location", "/api/v1/data-sources/" + source.id)
                .entity(dataSources.view(source)).build();
    }

    /** The reference API's name for {@link #create}. */
    @POST
    @Path("/create")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    @Operation(summary = "Create a data source (alias of POST /data-sources)")
    public Response createAlias(@RequiredBody @Valid CreateDataSourceRequest request) {
        return create(request);
    }

    @GET
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    @Operation(summary = "List data sources: type, status, search (name), sortBy, sortOrder, page, pageSize")
    public Page<DataSourceResponse> list(@Valid @BeanParam DataSourceFilter filter,
            @Valid @BeanParam PageRequest page) {
        return dataSources.list(filter, page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public DataSourceResponse get(@PathParam("id") UUID id) {
        return dataSources.view(dataSources.get(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    @Operation(summary = "Change name, description, status (active or inactive), config or credentials")
    public DataSourceResponse update(@PathParam("id") UUID id,
            @RequiredBody @Valid UpdateDataSourceRequest request) {
        return dataSources.view(dataSources.update(id, request));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    @Operation(summary = "Delete a data source without pending, running or paused jobs (its jobs stay readable)")
    public Response delete(@PathParam("id") UUID id) {
        dataSources.delete(id);
        return Response.noContent().build();
    }

    /**
     * Replaces the data source's credentials with the JSON object sent ({@code {}} removes them). They are never
     * returned: the answer shows them masked.
     */
    @PUT
    @Path("/{id}/credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public DataSourceResponse replaceCredentials(@PathParam("id") UUID id,
            @RequiredBody @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> credentials) {
        return dataSources.view(dataSources.replaceCredentials(id, credentials));
    }

    @POST
    @Path("/{id}/test")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    @Operation(summary = "Test the connection: reach the source, authenticate, fetch one page; records the outcome")
    public DataSourceTestResponse test(@PathParam("id") UUID id) {
        return tests.test(id);
    }

    @GET
    @Path("/{id}/jobs")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    @Operation(summary = "The data source's jobs, newest first (status and campaign_id filters as in GET /jobs)")
    public Page<JobView> jobs(@PathParam("id") UUID id, @Valid @BeanParam JobFilter filter,
            @Valid @BeanParam PageRequest page) {
        dataSources.get(id);
        return jobs.list(filter.forDataSource(id), page);
    }
}
