package org.heraldmta.admin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import org.heraldmta.log.Event;

/**
 * The last events since start, in memory and bounded, for {@code GET /api/v1/events} without a queue id (the
 * history of one message comes from events.jsonl). Thread safe.
 */
final class RecentEvents {

    static final int KEPT = 10_000;

    private final int capacity;
    private final Deque<Event> events = new ArrayDeque<>();

    RecentEvents() {
        this(KEPT);
    }

    RecentEvents(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Event event) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    /** The newest {@code limit} events that match, oldest first. */
    synchronized List<Event> last(int limit, Predicate<Event> matching) {
        List<Event> out = new ArrayList<>();
        var newestFirst = events.descendingIterator();
        while (newestFirst.hasNext() && out.size() < limit) {
            Event event = newestFirst.next();
            if (matching.test(event)) {
                out.add(event);
            }
        }
        return out.reversed();
    }
}
