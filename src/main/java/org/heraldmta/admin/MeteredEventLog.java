package org.heraldmta.admin;

import org.heraldmta.log.Event;
import org.heraldmta.log.EventLog;

/**
 * An {@link EventLog} that writes through to another and shows each event to the {@link Activity} (counters,
 * timeline, recent events, live tail). The event reaches the file first; what the activity does with it is
 * in-memory and bounded, so a slow browser or a scrape never slows the writer down.
 */
public final class MeteredEventLog implements EventLog {

    private final EventLog delegate;
    private final Activity activity;

    public MeteredEventLog(EventLog delegate, Activity activity) {
        this.delegate = delegate;
        this.activity = activity;
    }

    @Override
    public void write(Event event) {
        delegate.write(event);
        activity.observe(event);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
