package com.leadforge.stack;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.leadforge.testsupport.PostgresServer;

/**
 * Real faults on a running {@link Stack}, each undone by closing the {@link Fault} it returns, so a test restores the
 * stack in {@code try}/{@code finally} (try-with-resources) and the next test finds it whole: a paused broker
 * (SIGSTOP — clients see silence and time out, the nastier case than a refused connection), a service killed with
 * SIGKILL and started again on its ports, a database whose connections are terminated under the service's feet.
 */
public final class StackFaults {

    /** A fault in force until closed; closing restores the stack and never throws a checked exception. */
    public interface Fault extends AutoCloseable {
        @Override
        void close();
    }

    private final Stack stack;

    public StackFaults(Stack stack) {
        this.stack = stack;
    }

    /**
     * Freezes the Kafka broker (SIGSTOP): it keeps its sockets and data but answers nothing until resumed. Closing
     * the fault resumes it (SIGCONT); a JVM exit while it is paused resumes it too, so the stack can still stop.
     */
    public Fault pauseBroker() {
        long pid = stack.kafkaPid();
        Thread resumeOnExit = new Thread(() -> signal(pid, "CONT"), "resume-kafka-broker");
        Runtime.getRuntime().addShutdownHook(resumeOnExit);
        signal(pid, "STOP");
        return () -> {
            signal(pid, "CONT");
            try {
                Runtime.getRuntime().removeShutdownHook(resumeOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway; resuming twice is harmless
            }
        };
    }

    /**
     * {@code kill -9} of {@code module}'s JVM. Closing the fault starts it again with the same ports and environment
     * and waits until it is ready (unless a test already restarted it).
     */
    public Fault killService(String module) {
        stack.killService(module);
        return () -> {
            if (!stack.isServiceAlive(module)) {
                stack.restartService(module);
            }
        };
    }

    /**
     * Terminates every connection to {@code database} (except the caller's own), as the superuser: what a database
     * restart or failover does to a connection pool. Returns how many backends were terminated.
     */
    public int terminateConnections(String database) {
        try (Connection connection = superuser("postgres");
                PreparedStatement terminate = connection.prepareStatement("""
                        select count(pg_terminate_backend(pid)) from pg_stat_activity
                        where datname = ? and pid <> pg_backend_pid()""")) {
            terminate.setString(1, database);
            try (ResultSet result = terminate.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not terminate the connections of " + database, e);
        }
    }

    /**
     * Terminates {@code database}'s connections every {@code interval} on a thread of its own until closed: a
     * database that keeps dropping its clients while a test drives load.
     */
    public RepeatedTermination terminateConnectionsEvery(String database, Duration interval) {
        return new RepeatedTermination(this, database, interval);
    }

    /** Rounds of {@link #terminateConnections(String)} at a fixed rate; closing stops them. */
    public static final class RepeatedTermination implements Fault {

        private final ScheduledExecutorService scheduler;
        private final AtomicInteger rounds = new AtomicInteger();
        private final AtomicLong terminated = new AtomicLong();
        private final AtomicLong lastRoundNanos = new AtomicLong();
        private final AtomicInteger failedRounds = new AtomicInteger();

        private RepeatedTermination(StackFaults faults, String database, Duration interval) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "terminate-" + database);
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleAtFixedRate(() -> {
                try {
                    terminated.addAndGet(faults.terminateConnections(database));
                    lastRoundNanos.set(System.nanoTime());
                    rounds.incrementAndGet();
                } catch (RuntimeException e) {
                    failedRounds.incrementAndGet();
                }
            }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }

        public int rounds() {
            return rounds.get();
        }

        /** Backends terminated so far, over all rounds. */
        public long terminated() {
            return terminated.get();
        }

        /** {@link System#nanoTime()} of the end of the last completed round. */
        public long lastRoundNanos() {
            return lastRoundNanos.get();
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("connection terminator did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A superuser connection (row-level security does not apply): for counting what services really stored. */
    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(database), PostgresServer.USER, PostgresServer.PASSWORD);
    }

    /** One number from {@code sql} run as the superuser on {@code database}; parameters are bound in order. */
    public long count(String database, String sql, Object... parameters) {
        try (Connection connection = superuser(database);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting failed on " + database + ": " + sql, e);
        }
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
