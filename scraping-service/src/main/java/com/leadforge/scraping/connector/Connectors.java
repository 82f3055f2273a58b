package com.leadforge.scraping.connector;

import java.util.EnumMap;
import java.util.Map;

import com.leadforge.scraping.datasource.DataSourceType;

import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;

/** The connector of each data source type. No connector is a stub that pretends to import. */
@ApplicationScoped
public class Connectors {

    private final Map<DataSourceType, Connector> byType = new EnumMap<>(DataSourceType.class);

    public Connectors(@All java.util.List<Connector> connectors) {
        for (Connector connector : connectors) {
            for (DataSourceType type : connector.types()) {
                if (byType.put(type, connector) != null) {
                    throw new IllegalStateException("Two connectors for data source type " + type.code());
                }
            }
        }
    }

    public Connector forType(DataSourceType type) {
        return find(type).orElseThrow(() -> new ProblemException(ProblemType.CONFLICT,
                "Data sources of type " + type.code() + " cannot run jobs on this version of LeadForge"));
    }

    public java.util.Optional<Connector> find(DataSourceType type) {
        return java.util.Optional.ofNullable(byType.get(type));
    }
}
