package com.leadforge.shared.inbox;

import java.util.List;
import java.util.Map;

import com.leadforge.shared.tenancy.Roles;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Operator endpoint on each consuming service (not routed by the gateway): re-drives the service's dead letters
 * through its consumers. Platform-wide, so a super_admin calls it without naming an agency. See docs/events.md.
 */
@Path("/admin/dead-letters")
// The gateway consumes no events and has no Kafka client: it switches this endpoint off at build time.
@IfBuildProperty(name = "leadforge.events.consumers", stringValue = "true", enableIfMissing = true)
public class DeadLetterResource {

    private final DeadLetterRedrive redrive;

    public DeadLetterResource(DeadLetterRedrive redrive) {
        this.redrive = redrive;
    }

    @POST
    @Path("/redrive")
    @Blocking
    @RolesAllowed(Roles.SUPER_ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, List<DeadLetterRedrive.Result>> redrive() {
        return Map.of("results", redrive.redriveAll());
    }
}
