package org.heraldmta.config;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys one {@code [domains.*]} or {@code [mx.*]} table sets, already validated. Keys it leaves unset fall back
 * to the next rule (and finally to the built-in defaults).
 */
public record DomainOverrides(Map<DomainKey, Object> values) {

    /** The keys a domain table accepts. */
    public static final String KNOWN_KEYS = DomainKey.allKeys();

    public static final DomainOverrides NONE = new DomainOverrides(Map.of());

    public DomainOverrides {
        EnumMap<DomainKey, Object> copy = new EnumMap<>(DomainKey.class);
        copy.putAll(values);
        values = Collections.unmodifiableMap(copy);
    }

    static DomainOverrides of(Map<DomainKey, Object> values) {
        return new DomainOverrides(values);
    }

    static DomainOverrides read(TomlTable table) throws ConfigException {
        Map<DomainKey, Object> values = new EnumMap<>(DomainKey.class);
        for (DomainKey key : DomainKey.values()) {
            if (table.has(key.key())) {
                values.put(key, key.read(table));
            }
        }
        table.rejectUnknownKeys(KNOWN_KEYS);
        return new DomainOverrides(values);
    }

    public boolean sets(DomainKey key) {
        return values.containsKey(key);
    }

    /** These overrides laid over {@code base}. */
    @SuppressWarnings("unchecked")
    public DomainSettings applyTo(DomainSettings base) {
        if (values.isEmpty()) {
            return base;
        }
        return new DomainSettings(
                (Integer) value(DomainKey.DIRECT_ATTEMPTS, base),
                (Integer) value(DomainKey.RELAY_ATTEMPTS, base),
                (Integer) value(DomainKey.MAX_CONNECTIONS, base),
                (List<Duration>) value(DomainKey.DELAY_AFTER_FAILURE, base),
                (Integer) value(DomainKey.MAX_CONTINUOUS, base),
                (Duration) value(DomainKey.DELAY_FOR_CONTINUING, base),
                (Duration) value(DomainKey.MAX_AGE, base),
                (Integer) value(DomainKey.PORT, base),
                (Integer) value(DomainKey.MAX_MESSAGES_PER_CONNECTION, base),
                (Optional<Rate>) value(DomainKey.MAX_MESSAGE_RATE, base),
                (Optional<Rate>) value(DomainKey.MAX_CONNECTION_RATE, base),
                (Optional<String>) value(DomainKey.HELO_NAME, base),
                (Optional<String>) value(DomainKey.SOURCE_ADDRESS, base),
                (DirectTls) value(DomainKey.TLS, base),
                (List<String>) value(DomainKey.THROTTLE_REPLIES, base),
                (Duration) value(DomainKey.THROTTLE_PAUSE, base));
    }

    private Object value(DomainKey key, DomainSettings base) {
        Object own = values.get(key);
        return own != null ? own : key.get(base);
    }
}
