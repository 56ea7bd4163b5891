package org.heraldmta.admin;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.heraldmta.log.Event;

/**
 * Hands every new event to the open live-tail streams. Each stream has its own bounded buffer; publishing only
 * offers to it, so a slow or stalled browser loses events from its own stream (counted) and never holds up the
 * thread that wrote the event, which may be a delivery. Thread safe.
 */
final class LiveTail {

    static final int BUFFER = 1_000;

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    /** One stream's buffer. Close it when the stream ends. */
    final class Subscription implements AutoCloseable {
        private final BlockingQueue<Event> buffer;
        private final AtomicLong dropped = new AtomicLong();

        private Subscription(int capacity) {
            this.buffer = new ArrayBlockingQueue<>(capacity);
        }

        /** The next event, or empty when none came within {@code wait}. */
        Optional<Event> next(Duration wait) throws InterruptedException {
            return Optional.ofNullable(buffer.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
        }

        /** Events this stream lost because its reader was too slow. */
        long dropped() {
            return dropped.get();
        }

        private void offer(Event event) {
            if (!buffer.offer(event)) {
                dropped.incrementAndGet();
            }
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    Subscription subscribe() {
        return subscribe(BUFFER);
    }

    Subscription subscribe(int capacity) {
        Subscription subscription = new Subscription(capacity);
        subscriptions.add(subscription);
        return subscription;
    }

    void publish(Event event) {
        for (Subscription subscription : subscriptions) {
            subscription.offer(event);
        }
    }

    int streams() {
        return subscriptions.size();
    }
}
