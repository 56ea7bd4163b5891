package org.heraldmta.smtpd;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed AUTH attempts per client address, across sessions, each address in a window that starts at its first
 * failure. Thread safe. Memory is bounded: past {@link #MAX_ADDRESSES} addresses, expired ones are dropped, and if
 * that is not enough the oldest half goes (a guesser spread over so many addresses gets through the net anyway).
 */
final class AuthFailures {

    static final int MAX_ADDRESSES = 100_000;

    private record Window(Instant start, int failures) {
    }

    private final int maxFailures;
    private final Duration window;
    private final InstantSource clock;
    private final Map<InetAddress, Window> windows = new ConcurrentHashMap<>();

    AuthFailures(int maxFailures, Duration window, InstantSource clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    int maxFailures() {
        return maxFailures;
    }

    /** True when this address has used up its failures in the current window. */
    boolean blocked(InetAddress client) {
        Window current = windows.get(client);
        return current != null && !expired(current, clock.instant()) && current.failures() >= maxFailures;
    }

    /** Counts one failure; returns the failures of this address in its window, this one included. */
    int recordFailure(InetAddress client) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_ADDRESSES) {
            prune(now);
        }
        return windows.compute(client, (address, current) -> current == null || expired(current, now)
                ? new Window(now, 1) : new Window(current.start(), current.failures() + 1)).failures();
    }

    private boolean expired(Window current, Instant now) {
        return !now.isBefore(current.start().plus(window));
    }

    private void prune(Instant now) {
        windows.values().removeIf(w -> expired(w, now));
        if (windows.size() >= MAX_ADDRESSES) {
            Instant median = windows.values().stream().map(Window::start).sorted()
                    .skip(windows.size() / 2).findFirst().orElse(now);
            windows.values().removeIf(w -> w.start().isBefore(median));
        }
    }
}
