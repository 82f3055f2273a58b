package com.leadforge.shared.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Puts {@link RequiredSettings} into every service: a mapping is only validated at start-up when something injects
 * it.
 */
@Startup
@ApplicationScoped
public class RequiredSettingsCheck {

    public RequiredSettingsCheck(RequiredSettings settings) {
        // Nothing to do: resolving the mapping at start-up is the check.
    }
}
