package org.heraldmta.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import org.heraldmta.log.Event;

/** An event as the API shows it: as its line in events.jsonl, time and event first, then its fields. */
final class EventView {

    private EventView() {
    }

    static Map<String, Object> of(Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Json.time(event.time()));
        out.put("event", event.event());
        event.fields().forEach((key, value) -> out.putIfAbsent(key, Json.plain(value)));
        return out;
    }
}
