package org.heraldmta.log;

import java.time.Instant;
import java.util.Map;

/**
 * One line of events.jsonl: a time, an event name ({@code received}, {@code delivered}, {@code deferred},
 * {@code bounced}, {@code expired}...) and its fields, written in the order given.
 */
public record Event(Instant time, String event, Map<String, Object> fields) {

    public Event {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
