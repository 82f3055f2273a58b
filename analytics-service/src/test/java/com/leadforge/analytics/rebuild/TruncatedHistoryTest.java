package com.leadforge.analytics.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A rebuild must refuse a history that retention has cut: its read models would be partial. */
class TruncatedHistoryTest {

    @Test
    void anEventPartitionThatNoLongerStartsAtZeroIsReported() {
        Map<TopicPartition, Long> begin = Map.of(
                new TopicPartition("leadforge.lead-events", 0), 0L,
                new TopicPartition("leadforge.lead-events", 2), 1_250L,
                new TopicPartition("leadforge.campaign-events", 1), 7L,
                new TopicPartition("leadforge.lead-events.dlq", 0), 40L);

        assertEquals(List.of("leadforge.campaign-events-1@7", "leadforge.lead-events-2@1250"),
                RebuildReplay.truncatedHistory(begin));
    }

    @Test
    void aWholeHistoryIsNotReported() {
        assertEquals(List.of(), RebuildReplay.truncatedHistory(Map.of(
                new TopicPartition("leadforge.scraping-events", 0), 0L,
                new TopicPartition("leadforge.scraping-events.dlq", 0), 3L)));
    }
}
