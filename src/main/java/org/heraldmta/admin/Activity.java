package org.heraldmta.admin;

import java.time.InstantSource;
import org.heraldmta.log.Event;

/**
 * What the admin side learns from the event stream: the meters, the per-minute timeline, the recent events and
 * the live tail. Everything is in memory and bounded; {@link #observe} never blocks.
 */
public final class Activity {

    private final HeraldMetrics metrics;
    private final MinuteTimeline timeline;
    private final RecentEvents recent = new RecentEvents();
    private final LiveTail tail = new LiveTail();

    public Activity(InstantSource clock) {
        this.metrics = new HeraldMetrics(clock);
        this.timeline = new MinuteTimeline(clock.instant());
    }

    void observe(Event event) {
        metrics.count(event);
        timeline.record(event.event(), event.time());
        recent.add(event);
        tail.publish(event);
    }

    public HeraldMetrics metrics() {
        return metrics;
    }

    MinuteTimeline timeline() {
        return timeline;
    }

    RecentEvents recent() {
        return recent;
    }

    LiveTail tail() {
        return tail;
    }
}
