package com.leadforge.lead.campaign;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.tenancy.TenantContext;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

/** Campaign events in; each record is one unit of work whose tenant is the event's agency. */
@ApplicationScoped
public class CampaignEventConsumer {

    private final CampaignReplicaProjector projector;
    private final TenantContext tenant;

    public CampaignEventConsumer(CampaignReplicaProjector projector, TenantContext tenant) {
        this.projector = projector;
        this.tenant = tenant;
    }

    @Incoming("campaign-events")
    @Blocking
    @ActivateRequestContext
    public void onCampaignEvent(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        tenant.enter(event.agencyId(), "event:" + event.source());
        projector.apply(event);
    }
}
