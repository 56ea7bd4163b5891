package org.heraldmta.dns;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map whose entries expire after their own time to live, on an injected clock. Thread safe. Bounded: past
 * {@code maxEntries} the expired entries are dropped, and if that is not enough, all of them (a cache may forget).
 */
final class TtlCache<K, V> {

    private record Entry<V>(V value, Instant expires) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final int maxEntries;

    TtlCache(InstantSource clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    Optional<V> get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    /** Keeps {@code value} for {@code ttl}; a zero or negative TTL keeps nothing (RFC 1035: TTL 0 is not cached). */
    void put(K key, V value, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        Instant now = clock.instant();
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
    }

    int size() {
        return entries.size();
    }
}
