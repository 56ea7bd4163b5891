package org.heraldmta.smtpd;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Counts open connections in total and per client address. Thread safe. */
final class ConnectionLimiter {

    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionLimiter(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Takes a slot for a new connection, or says why there is none. Every slot taken must be released. */
    synchronized Optional<String> tryAcquire(InetAddress client) {
        if (total >= maxTotal) {
            return Optional.of("too many connections (" + maxTotal + " open)");
        }
        int mine = perAddress.getOrDefault(client, 0);
        if (mine >= maxPerAddress) {
            return Optional.of("too many connections from " + client.getHostAddress());
        }
        total++;
        perAddress.put(client, mine + 1);
        return Optional.empty();
    }

    synchronized void release(InetAddress client) {
        total--;
        perAddress.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
    }

    synchronized int open() {
        return total;
    }
}
