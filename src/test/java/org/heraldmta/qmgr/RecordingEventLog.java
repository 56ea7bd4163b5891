package org.heraldmta.qmgr;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventLog;

/** Keeps every event written, in order. */
final class RecordingEventLog implements EventLog {

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void write(Event event) {
        events.add(event);
    }

    List<Event> all() {
        return List.copyOf(events);
    }

    List<Event> named(String name) {
        return events.stream().filter(e -> e.event().equals(name)).toList();
    }

    List<Event> forRecipient(String recipient) {
        return events.stream().filter(e -> recipient.equals(e.fields().get("recipient"))).toList();
    }

    @Override
    public void close() {
    }
}
