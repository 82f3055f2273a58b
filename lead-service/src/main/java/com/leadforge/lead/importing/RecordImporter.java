package com.leadforge.lead.importing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.leadforge.lead.campaign.CampaignGuard;
import com.leadforge.lead.dedup.DuplicateFinder;
import com.leadforge.lead.lead.Lead;
import com.leadforge.lead.lead.LeadService;
import com.leadforge.lead.lead.LeadService.NewLead;
import com.leadforge.shared.events.BatchImportedEvent;
import com.leadforge.shared.events.BatchImportedEvent.RecordOutcome;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.text.StorableText;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Consumer {@value #CONSUMER}: turns each batch of scraped records into leads exactly as {@code POST /leads} would
 * make them (same validation, normalisation, duplicate rule, activity row and {@code lead.created} event), and answers
 * with one {@code lead_import.batch_imported} event — all in the consumer's transaction, so a batch is applied
 * completely or not at all. A batch applies once (the inbox); a record applies once whichever batch event brings it
 * ({@link ImportedRecord}); a bad record is rejected without failing its batch. The work is set-based: one query for
 * the records' earlier outcomes, one per identifier kind for duplicates, batched inserts.
 */
@ApplicationScoped
public class RecordImporter implements EventHandler {

    static final String CONSUMER = "lead.scraping-import";
    /** Largest batch the contract allows; scraping-service sends about 500. */
    static final int MAX_RECORDS = 1000;
    /** Width of {@code lead.created_by}. */
    private static final int MAX_ACTOR = 64;

    private static final Logger LOG = Logger.getLogger(RecordImporter.class);

    /** A campaign the replica has not seen yet: the batch is retried (see {@link CampaignArrivalGrace}). */
    static final class CampaignNotYetReplicatedException extends RuntimeException {
        CampaignNotYetReplicatedException(UUID campaignId) {
            super("Campaign " + campaignId + " is not known to lead-service yet; the batch waits for it", null, false,
                    false);
        }
    }

    private record Candidate(long seq, Lead lead) {
    }

    private final LeadService leads;
    private final RecordCheck check;
    private final DuplicateFinder duplicates;
    private final CampaignGuard campaigns;
    private final CampaignArrivalGrace grace;
    private final OutboxWriter outbox;
    private final EntityManager entityManager;

    public RecordImporter(LeadService leads, RecordCheck check, DuplicateFinder duplicates, CampaignGuard campaigns,
            CampaignArrivalGrace grace, OutboxWriter outbox, EntityManager entityManager) {
        this.leads = leads;
        this.check = check;
        this.duplicates = duplicates;
        this.campaigns = campaigns;
        this.grace = grace;
        this.outbox = outbox;
        this.entityManager = entityManager;
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.SCRAPING_EVENTS);
    }

    /** Record batches only: the topic's data-source and job events are acknowledged without a transaction. */
    @Override
    public boolean handles(String type) {
        return EventType.SCRAPING_JOB_RECORDS_SCRAPED.type().equals(type);
    }

    @Override
    public void apply(IncomingEvent event) {
        ScrapedRecordsEvent batch = event.data(ScrapedRecordsEvent.class);
        requireContract(event, batch);
        String agencyId = event.agencyId();
        String actor = actorOf(event, batch);
        Instant now = Instant.now();

        // Records an earlier batch event already brought keep the outcome they got then.
        Map<Long, ImportedRecord> outcomes = earlierOutcomes(agencyId, batch);
        List<ScrapedRecord> fresh = batch.records().stream().filter(r -> !outcomes.containsKey(r.seq())).toList();
        boolean campaignOpen = fresh.isEmpty() || campaignOpen(agencyId, batch.campaignId());

        List<Candidate> candidates = new ArrayList<>();
        for (ScrapedRecord record : fresh) {
            if (!campaignOpen) {
                outcomes.put(record.seq(), rejected(batch, record.seq(), RecordCheck.CAMPAIGN_NOT_OPEN, "campaign_id",
                        now));
                continue;
            }
            RecordCheck.Result result = check.check(record, batch);
            RecordCheck.Rejection rejection = result.rejection();
            if (rejection == null) {
                try {
                    candidates.add(new Candidate(record.seq(), leads.newLead(result.request(), now)));
                    continue;
                } catch (ProblemException invalid) {
                    rejection = RecordCheck.rejection(invalid);
                }
            }
            outcomes.put(record.seq(), rejected(batch, record.seq(), rejection.reason(), rejection.field(), now));
        }

        DuplicateFinder.Known taken = duplicates.known(
                candidates.stream().map(c -> c.lead().email).filter(v -> v != null).toList(),
                candidates.stream().map(c -> c.lead().phone).filter(v -> v != null).toList(),
                candidates.stream().map(c -> c.lead().linkedinUrl).filter(v -> v != null).toList());
        List<NewLead> accepted = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Lead lead = candidate.lead();
            var match = taken.match(lead.email, lead.phone, lead.linkedinUrl);
            if (match.isPresent()) {
                outcomes.put(candidate.seq(), outcome(batch, candidate.seq(), BatchImportedEvent.DUPLICATE,
                        match.get().leadId(), match.get().field(), null, now));
                continue;
            }
            // Later records of this batch sharing an identifier are duplicates of this one.
            taken.remember(lead);
            accepted.add(new NewLead(lead, details(batch, candidate.seq())));
            outcomes.put(candidate.seq(), outcome(batch, candidate.seq(), ImportedRecord.IMPORTED, lead.id, null, null,
                    now));
        }
        leads.insertNew(accepted, actor, now);
        for (ScrapedRecord record : fresh) {
            outcomes.get(record.seq()).persist();
        }

        BatchImportedEvent result = result(batch, agencyId, outcomes, now);
        outbox.append(EventType.LEAD_IMPORT_BATCH_IMPORTED, agencyId, batch.jobId(), actor, result);
        LOG.debugf("%s: job %s batch %d: %d imported, %d duplicates, %d rejected (%d records seen before)", CONSUMER,
                batch.jobId(), batch.batchSeq(), result.imported(), result.duplicates(), result.rejected(),
                batch.records().size() - fresh.size());
    }

    /**
     * A batch that breaks the contract can never be imported, however often it is retried: poison, dead-lettered.
     * The agency is the event's ({@code ce_agencyid}); data naming another one is a broken producer, never applied.
     */
    private static void requireContract(IncomingEvent event, ScrapedRecordsEvent batch) {
        if (batch.jobId() == null) {
            throw new PoisonEventException("Record batch " + event.id() + " has no job_id");
        }
        if (batch.agencyId() == null || !batch.agencyId().equalsIgnoreCase(event.agencyId())) {
            throw new PoisonEventException("Record batch " + event.id() + " names another agency than ce_agencyid");
        }
        if (batch.batchSeq() <= 0) {
            throw new PoisonEventException("Record batch " + event.id() + " has no positive batch_seq");
        }
        if (batch.records() == null) {
            throw new PoisonEventException("Record batch " + event.id() + " has no records");
        }
        if (batch.records().size() > MAX_RECORDS) {
            throw new PoisonEventException("Record batch " + event.id() + " holds " + batch.records().size()
                    + " records, more than " + MAX_RECORDS);
        }
        Set<Long> seqs = new HashSet<>();
        for (ScrapedRecord record : batch.records()) {
            if (record == null || record.seq() <= 0) {
                throw new PoisonEventException("Record batch " + event.id() + " holds a record without a positive seq");
            }
            if (!seqs.add(record.seq())) {
                throw new PoisonEventException("Record batch " + event.id() + " holds seq " + record.seq() + " twice");
            }
        }
    }

    /** Who runs the job: the leads' {@code created_by} and the actor of their activity rows and events. */
    private static String actorOf(IncomingEvent event, ScrapedRecordsEvent batch) {
        String actor = batch.actor() != null && !batch.actor().isBlank() ? batch.actor()
                : event.actor() != null && !event.actor().isBlank() ? event.actor() : "system";
        if (actor.length() > MAX_ACTOR || StorableText.problem(actor) != null) {
            throw new PoisonEventException("Record batch " + event.id() + " has an actor lead-service cannot store");
        }
        return actor;
    }

    /**
     * What earlier batch events decided for these records (not persisted again), in one statement: one primary-key
     * probe per seq (the lateral join), so its cost follows the batch, never the size of the job or the table.
     */
    private Map<Long, ImportedRecord> earlierOutcomes(String agencyId, ScrapedRecordsEvent batch) {
        Map<Long, ImportedRecord> earlier = new HashMap<>();
        if (batch.records().isEmpty()) {
            return earlier;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select r.seq, r.outcome, r.lead_id, r.field, r.reason
                from unnest(:seqs) as s(seq) cross join lateral (select * from imported_record
                    where agency_id = :agency and job_id = :job and seq = s.seq) as r""")
                .setParameter("agency", agencyId)
                .setParameter("job", batch.jobId())
                .setParameter("seqs", batch.records().stream().map(ScrapedRecord::seq).toArray(Long[]::new))
                .getResultList();
        for (Object[] row : rows) {
            long seq = ((Number) row[0]).longValue();
            ImportedRecord known = outcome(batch, seq, (String) row[1], (UUID) row[2], (String) row[3],
                    (String) row[4], null);
            earlier.put(seq, known);
        }
        return earlier;
    }

    /**
     * Whether the batch's campaign (if any) may receive leads. Known to the replica: open or not, decided now, without
     * the API's short wait. Unseen: most likely created a moment ago and still on its way, so the whole batch is
     * retried (an exception, not poison) until it arrives — for at most the grace, after which an unseen campaign
     * (another agency's, or one that never existed) is not open.
     */
    private boolean campaignOpen(String agencyId, UUID campaignId) {
        if (campaignId == null) {
            return true;
        }
        CampaignGuard.Knowledge knowledge = campaigns.known(campaignId);
        if (knowledge != CampaignGuard.Knowledge.UNSEEN) {
            grace.seen(agencyId, campaignId);
            return knowledge == CampaignGuard.Knowledge.OPEN;
        }
        if (grace.stillWaiting(agencyId, campaignId)) {
            throw new CampaignNotYetReplicatedException(campaignId);
        }
        LOG.warnf("%s: campaign %s of agency %s never reached the replica; its records are rejected", CONSUMER,
                campaignId, agencyId);
        return false;
    }

    /** Where the lead came from, kept in its {@code created} activity row. */
    private static Map<String, Object> details(ScrapedRecordsEvent batch, long seq) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("import_job_id", batch.jobId().toString());
        details.put("import_record_seq", seq);
        if (batch.dataSourceId() != null) {
            details.put("data_source_id", batch.dataSourceId().toString());
        }
        return details;
    }

    private static ImportedRecord rejected(ScrapedRecordsEvent batch, long seq, String reason, String field,
            Instant now) {
        return outcome(batch, seq, BatchImportedEvent.REJECTED, null, field, reason, now);
    }

    private static ImportedRecord outcome(ScrapedRecordsEvent batch, long seq, String outcome, UUID leadId,
            String field, String reason, Instant now) {
        ImportedRecord record = new ImportedRecord();
        record.id = new ImportedRecord.Key(batch.jobId(), seq);
        record.outcome = outcome;
        record.leadId = leadId;
        record.field = field;
        record.reason = reason;
        record.importedAt = now;
        return record;
    }

    /** Counts over the whole batch, and the outcome of every record that did not become a new lead, in batch order. */
    private static BatchImportedEvent result(ScrapedRecordsEvent batch, String agencyId,
            Map<Long, ImportedRecord> outcomes, Instant now) {
        int imported = 0;
        int duplicates = 0;
        int rejected = 0;
        List<RecordOutcome> notImported = new ArrayList<>();
        for (ScrapedRecord record : batch.records()) {
            ImportedRecord outcome = outcomes.get(record.seq());
            switch (outcome.outcome) {
                case ImportedRecord.IMPORTED -> imported++;
                case BatchImportedEvent.DUPLICATE -> duplicates++;
                default -> rejected++;
            }
            if (!ImportedRecord.IMPORTED.equals(outcome.outcome)) {
                notImported.add(new RecordOutcome(record.seq(), outcome.outcome, outcome.leadId, outcome.field,
                        outcome.reason));
            }
        }
        return new BatchImportedEvent(batch.jobId(), agencyId, batch.batchSeq(), imported, duplicates, rejected,
                notImported, now);
    }
}
