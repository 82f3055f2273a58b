package com.leadforge.shared.outbox;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Lets a test or an operator stop the relay ({@code leadforge.outbox.relay-enabled=false}) without redeploying code. */
@Singleton
public class OutboxRelayDisabled implements Scheduled.SkipPredicate {

    @Override
    public boolean test(ScheduledExecution execution) {
        return !ConfigProvider.getConfig().getOptionalValue("leadforge.outbox.relay-enabled", Boolean.class)
                .orElse(Boolean.TRUE);
    }
}
