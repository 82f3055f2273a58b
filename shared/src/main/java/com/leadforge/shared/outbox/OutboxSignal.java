package com.leadforge.shared.outbox;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

/** "There is something to publish": committed writers raise it, the relay waits on it between rounds. */
@ApplicationScoped
public class OutboxSignal {

    private final Semaphore pending = new Semaphore(0);

    public void wakeUp() {
        // At most one permit: any number of commits during a round mean one more round.
        if (pending.availablePermits() == 0) {
            pending.release();
        }
    }

    /** Waits until woken or the timeout passes; true when woken. */
    boolean await(long timeoutMillis) throws InterruptedException {
        boolean woken = pending.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
        pending.drainPermits();
        return woken;
    }
}
