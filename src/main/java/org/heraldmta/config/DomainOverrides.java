package org.heraldmta.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys one {@code [domains.*]} table sets, already validated. Keys it leaves unset fall back to the next rule
 * (and finally to the built-in defaults).
 */
public record DomainOverrides(Map<String, Object> values) {

    /** The keys a domain table accepts. */
    public static final String KNOWN_KEYS = "direct_attempts, relay_attempts, max_connections, delay_after_failure, "
            + "max_continuous, delay_for_continuing, max_age, port";

    public DomainOverrides {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static DomainOverrides read(TomlTable table) throws ConfigException {
        Map<String, Object> values = new LinkedHashMap<>();
        if (table.has("direct_attempts")) {
            values.put("direct_attempts", table.integer("direct_attempts", 0, 0, 1000));
        }
        if (table.has("relay_attempts")) {
            values.put("relay_attempts", table.integer("relay_attempts", 0, 0, 1000));
        }
        if (table.has("max_connections")) {
            values.put("max_connections", table.integer("max_connections", 0, 1, 10000));
        }
        if (table.has("delay_after_failure")) {
            values.put("delay_after_failure", table.durations("delay_after_failure", List.of()));
        }
        if (table.has("max_continuous")) {
            values.put("max_continuous", table.integer("max_continuous", 0, 1, 1_000_000));
        }
        if (table.has("delay_for_continuing")) {
            values.put("delay_for_continuing", table.duration("delay_for_continuing", Duration.ZERO));
        }
        if (table.has("max_age")) {
            values.put("max_age", table.duration("max_age", Duration.ZERO));
        }
        if (table.has("port")) {
            values.put("port", table.integer("port", 25, 1, 65535));
        }
        table.rejectUnknownKeys(KNOWN_KEYS);
        return new DomainOverrides(values);
    }

    /** These overrides laid over {@code base}. */
    @SuppressWarnings("unchecked")
    public DomainSettings applyTo(DomainSettings base) {
        return new DomainSettings(
                (Integer) values.getOrDefault("direct_attempts", base.directAttempts()),
                (Integer) values.getOrDefault("relay_attempts", base.relayAttempts()),
                (Integer) values.getOrDefault("max_connections", base.maxConnections()),
                (List<Duration>) values.getOrDefault("delay_after_failure", base.delayAfterFailure()),
                (Integer) values.getOrDefault("max_continuous", base.maxContinuous()),
                (Duration) values.getOrDefault("delay_for_continuing", base.delayForContinuing()),
                (Duration) values.getOrDefault("max_age", base.maxAge()),
                (Integer) values.getOrDefault("port", base.port()));
    }
}
