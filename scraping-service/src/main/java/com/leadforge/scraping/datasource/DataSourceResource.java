package com.leadforge.scraping.datasource;

import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.problem.RequiredBody;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/data-sources")
@Tag(name = "Data sources")
@Produces(MediaType.APPLICATION_JSON)
public class DataSourceResource {

    private final DataSourceService dataSources;

    public DataSourceResource(DataSourceService dataSources) {
        this.dataSources = dataSources;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public Response create(@RequiredBody @Valid CreateDataSourceRequest request) {
        DataSource source = dataSources.create(request);
        // A path, not an absolute URI: behind the gateway this service's own host name means nothing to clients.
        return Response.status(Response.Status.CREATED).header("Location", "/api/v1/data-sources/" + source.id)
                .entity(dataSources.view(source)).build();
    }

    @GET
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
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
}
