package com.leadforge.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a bounded timeout; never a fixed sleep. */
public final class Await {

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 10;
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(pauseMillis); // polling interval between condition checks, not a wait for an outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 250);
        }
        IllegalStateException timeoutError = new IllegalStateException(
                "Timed out after " + timeout + " waiting for " + what + " " + diagnostics.get());
        if (last != null) {
            timeoutError.addSuppressed(last);
        }
        throw timeoutError;
    }

    /**
     * Paces a load or a fault (a request every 50 ms, a connection kill every 150 ms): the pause is part of what the
     * test does, not a wait for an outcome. Waiting for an outcome is {@link #until}.
     */
    public static void pause(Duration pace) {
        try {
            Thread.sleep(pace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pacing", e);
        }
    }

    private Await() {
    }
}
