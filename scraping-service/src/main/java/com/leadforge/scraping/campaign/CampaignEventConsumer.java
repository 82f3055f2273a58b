package com.leadforge.scraping.campaign;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.leadforge.shared.inbox.ReliableConsumer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/** Campaign events in, through the shared reliable consumer (own transaction per attempt, retries, dead letters). */
@ApplicationScoped
public class CampaignEventConsumer {

    private final ReliableConsumer reliableConsumer;
    private final CampaignReplicaProjector projector;

    public CampaignEventConsumer(ReliableConsumer reliableConsumer, CampaignReplicaProjector projector) {
        this.reliableConsumer = reliableConsumer;
        this.projector = projector;
    }

    @Incoming("campaign-events")
    @Blocking(value = "event-consumers", ordered = false)
    public void onCampaignEvent(ConsumerRecord<String, String> record) {
        reliableConsumer.consume(projector, record);
    }
}
