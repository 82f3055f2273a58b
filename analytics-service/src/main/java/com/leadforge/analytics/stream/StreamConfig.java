package com.leadforge.analytics.stream;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code leadforge.stream.*}: see the "Live stream" section of application.properties. */
@ConfigMapping(prefix = "leadforge.stream")
public interface StreamConfig {

    /** How long rows stay in the log: the window within which Last-Event-ID resumes without loss. */
    Duration retention();

    /** How often the retention purge runs (a scheduler expression such as {@code 10m}). */
    String purgeInterval();

    /** Delay of the first purge after start-up. */
    @WithDefault("1m")
    String purgeInitialDelay();

    /** Comment lines this often keep proxies and load balancers from closing a quiet stream. */
    Duration heartbeatInterval();

    /** Streams one replica holds at most; beyond it 503 problem+json with Retry-After. */
    int maxStreams();

    /** Streams one user holds at most on one replica (a browser with a few tabs); beyond it 429. */
    int maxStreamsPerUser();

    /** Events written to a stream and not yet accepted by its connection; a stream falling further behind is closed. */
    int maxPendingEvents();

    /** Rows read from the log per agency and round. */
    int batchSize();

    /** Longest wait between two reads of the log when no NOTIFY arrives (a missed wake-up, a broken listener). */
    Duration idlePoll();

    /**
     * Interval of the reads right after a NOTIFY: a row is delivered only once every older transaction finished, so
     * the row a NOTIFY announced may still wait behind a concurrent writer for a moment.
     */
    Duration busyPoll();
}
