package com.leadforge.campaign.counters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import com.leadforge.campaign.counters.CampaignCounters.Counters;
import com.leadforge.campaign.counters.CampaignCounters.Named;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

/**
 * Recomputes one agency's counters from a full replay of the lead topic and reports the drift; runs in the background
 * ({@link ReconciliationRuns}), as its own unit of work for the run's agency. The replay runs outside any transaction
 * (Kafka I/O must not hold a connection or locks) and keeps only that agency's leads; then, in one transaction, the
 * replayed snapshots are merged into the projection (newer versions only, so an event the live consumer applied
 * meanwhile is never undone), every campaign of the agency — and no other — is locked and recounted, and the counters
 * before and after are compared.
 */
@ApplicationScoped
public class ReconciliationService {

    private static final Logger LOG = Logger.getLogger(ReconciliationService.class);

    public record CampaignDrift(UUID campaignId, String name, Counters stored, Counters actual) {
    }

    public record Report(long recordsRead, long skippedRecords, long leadsReplayed, long leadsCorrected,
            long campaignsChecked, List<CampaignDrift> drift) {
    }

    private final TenantContext tenant;
    private final TopicReplay replay;
    private final CampaignCounters counters;

    public ReconciliationService(TenantContext tenant, TopicReplay replay, CampaignCounters counters) {
        this.tenant = tenant;
        this.replay = replay;
        this.counters = counters;
    }

    /** Runs {@code run} to its end, recording the report or the reason it failed; never throws for expected failures. */
    @ActivateRequestContext
    public void reconcile(ReconciliationRun run) {
        String agencyId = run.agencyId();
        tenant.enter(agencyId, run.requestedBy());
        run.phase(ReconciliationRun.Phase.REPLAYING);
        TopicReplay.Result result;
        try {
            result = replay.read(agencyId, run::progress);
        } catch (TopicReplay.IncompleteReplayException e) {
            run.failed(ProblemType.SERVICE_UNAVAILABLE, e.getMessage());
            return;
        } catch (TimeoutException | KafkaException e) {
            LOG.warnf(e, "Reconciliation of agency %s could not read the lead topic", agencyId);
            run.failed(ProblemType.SERVICE_UNAVAILABLE, "The event log cannot be read right now; try again later");
            return;
        }
        run.phase(ReconciliationRun.Phase.REPAIRING);
        Report report = QuarkusTransaction.requiringNew().call(() -> repair(agencyId, result));
        if (!report.drift().isEmpty()) {
            LOG.warnf("Reconciliation fixed the counters of %d campaign(s) of agency %s", report.drift().size(),
                    agencyId);
        }
        run.succeeded(report);
    }

    private Report repair(String agencyId, TopicReplay.Result result) {
        // Lead rows first (in id order), campaigns second: the same lock order as the live consumer.
        List<LeadSnapshot> leads = new ArrayList<>(result.leads().values());
        leads.sort(Comparator.comparing(LeadSnapshot::leadId));
        long corrected = counters.upsertAll(agencyId, leads);
        Map<UUID, Named> before = counters.storedCounters(agencyId, true);
        counters.recount(before.keySet());
        Map<UUID, Named> after = counters.storedCounters(agencyId, false);
        List<CampaignDrift> drift = new ArrayList<>();
        for (Map.Entry<UUID, Named> campaign : before.entrySet()) {
            Named now = after.get(campaign.getKey());
            if (now != null && !now.counters().equals(campaign.getValue().counters())) {
                drift.add(new CampaignDrift(campaign.getKey(), now.name(), campaign.getValue().counters(),
                        now.counters()));
            }
        }
        return new Report(result.recordsRead(), result.skippedRecords(), leads.size(), corrected, before.size(),
                drift);
    }
}
