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
    /** Put into a buffer to end its stream at once. */
    private static final Event END = new Event(java.time.Instant.EPOCH, "end-of-stream", java.util.Map.of());

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    /** One stream's buffer. Close it when the stream ends. */
    final class Subscription implements AutoCloseable {
        private final BlockingQueue<Event> buffer;
        private final AtomicLong dropped = new AtomicLong();

        private Subscription(int capacity) {
            this.buffer = new ArrayBlockingQueue<>(capacity);
        }

        private volatile boolean ended;

        /** The next event, or empty when none came within {@code wait} or the stream {@linkplain #ended ended}. */
        Optional<Event> next(Duration wait) throws InterruptedException {
            Event event = buffer.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            return event == END ? Optional.empty() : Optional.ofNullable(event);
        }

        /** True once the server is closing: the stream should end. */
        boolean ended() {
            return ended;
        }

        private void end() {
            ended = true;
            buffer.clear();
            buffer.offer(END);
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

    /** Ends every open stream (the server is closing), so that no request is left waiting for events. */
    void endAll() {
        subscriptions.forEach(Subscription::end);
    }

    int streams() {
        return subscriptions.size();
    }
}
