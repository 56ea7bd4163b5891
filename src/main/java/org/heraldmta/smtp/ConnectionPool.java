package org.heraldmta.smtp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps connections open for a few seconds after a transaction so the next message to the same server skips
 * connect, greeting, EHLO, STARTTLS and AUTH. Keyed by everything that makes a session what it is: address, port,
 * TLS policy, HELO name, AUTH user and source address. A taken connection belongs to its taker; one not taken in time is closed
 * with QUIT. Thread safe.
 */
final class ConnectionPool implements AutoCloseable {

    record Key(String ip, int port, TlsPolicy tls, String heloName, String authUser, String sourceAddress) {
        static Key of(Target target, String heloName, ConnectionOptions options) {
            return new Key(target.ipText(), target.port(), target.tls(), heloName,
                    target.credentials().map(Target.Credentials::username).orElse(""),
                    options.sourceAddress().orElse(""));
        }
    }

    /**
     * Idle connections kept per key. A delivery takes an idle connection before it opens one, so the pool never
     * holds more than the deliveries that recently ran in parallel to that server (which {@code max_connections}
     * bounds), and idle ones close after {@code keepIdle}: this bound only caps an unusual burst. It is not small,
     * because when many deliveries to one server end at once, every connection beyond it would be closed just
     * before the next deliveries open new ones (with 2, a relay at 50 parallel deliveries saw a new connection
     * every third message).
     */
    private static final int MAX_IDLE_PER_KEY = 64;
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

    private final Map<Key, Deque<SmtpConnection>> idle = new HashMap<>();
    private final Duration keepIdle;
    private final ScheduledExecutorService scheduler;
    private boolean closed;

    ConnectionPool(Duration keepIdle, ScheduledExecutorService scheduler) {
        this.keepIdle = keepIdle;
        this.scheduler = scheduler;
    }

    /** An idle connection for {@code key}, most recently used first. */
    synchronized Optional<SmtpConnection> take(Key key) {
        Deque<SmtpConnection> connections = idle.get(key);
        while (connections != null && !connections.isEmpty()) {
            SmtpConnection connection = connections.pollFirst();
            if (connection.isOpen()) {
                return Optional.of(connection);
            }
        }
        return Optional.empty();
    }

    /** Keeps {@code connection} for the next taker, or closes it when reuse is off or the pool is full. */
    void offer(Key key, SmtpConnection connection) {
        connection.attach(AttemptLog.discarding()); // the attempt that used it has ended
        if (keepIdle.isZero() || !connection.isOpen()) {
            connection.quit(QUIT_TIMEOUT);
            return;
        }
        SmtpConnection evicted = null;
        synchronized (this) {
            if (closed) {
                evicted = connection;
            } else {
                Deque<SmtpConnection> connections = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
                connections.addFirst(connection);
                if (connections.size() > MAX_IDLE_PER_KEY) {
                    evicted = connections.pollLast();
                }
            }
        }
        if (evicted != null) {
            evicted.quit(QUIT_TIMEOUT);
        }
        if (evicted != connection) {
            scheduler.schedule(() -> expire(key, connection), keepIdle.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void expire(Key key, SmtpConnection connection) {
        boolean wasIdle;
        synchronized (this) {
            Deque<SmtpConnection> connections = idle.get(key);
            wasIdle = connections != null && connections.remove(connection);
            if (connections != null && connections.isEmpty()) {
                idle.remove(key);
            }
        }
        if (wasIdle) {
            // not on the scheduler's thread: it also runs the write watchdog, which QUIT itself relies on
            Thread.ofVirtual().start(() -> connection.quit(QUIT_TIMEOUT));
        }
    }

    synchronized int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public void close() {
        List<SmtpConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        all.forEach(c -> c.quit(QUIT_TIMEOUT));
    }
}
