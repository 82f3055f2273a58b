package com.leadforge.campaign.campaign;

import java.time.LocalDate;
import java.util.Map;

/** The fields that create and update bodies share, so that {@link ValidCampaignRequest} checks both alike. */
public interface CampaignFields {

    CampaignStatus status();

    LocalDate startDate();

    LocalDate endDate();

    Map<String, Object> targetAudience();
}
