package org.heraldmta.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which recipient domains get a label of their own in the metrics: the {@code size} busiest, every other domain
 * counts as {@code "other"}, so that the number of series stays bounded however many domains Herald sends to.
 *
 * <p>Each domain's events are tallied (at most {@link #TRACKED} domains); once a minute the tallies are ranked,
 * the top {@code size} become the labelled set, and every tally is halved so that the ranking follows recent
 * traffic. While fewer than {@code size} domains are known, each new one is labelled at once (it is trivially
 * among the busiest). A domain that drops out of the set is reported to {@code dropped}, so that its series can be
 * removed. Thread safe.
 */
final class DomainLabels {

    static final String OTHER = "other";
    static final int TRACKED = 10_000;
    static final Duration RERANK_EVERY = Duration.ofMinutes(1);

    private final int size;
    private final Consumer<String> dropped;
    private final Map<String, Long> tallies = new HashMap<>();
    private final Set<String> labelled = new HashSet<>();
    private Instant lastRank;

    DomainLabels(int size, Instant now, Consumer<String> dropped) {
        this.size = size;
        this.dropped = dropped;
        this.lastRank = now;
    }

    /** Counts one event for {@code domain} and says under which label to record it. */
    synchronized String labelFor(String domain, Instant now) {
        if (tallies.containsKey(domain) || tallies.size() < TRACKED) {
            tallies.merge(domain, 1L, Long::sum);
        }
        if (!now.isBefore(lastRank.plus(RERANK_EVERY))) {
            rerank(now);
        }
        if (!labelled.contains(domain) && labelled.size() < size && tallies.containsKey(domain)) {
            labelled.add(domain);
        }
        return labelled.contains(domain) ? domain : OTHER;
    }

    synchronized Set<String> labelled() {
        return Set.copyOf(labelled);
    }

    private void rerank(Instant now) {
        lastRank = now;
        List<String> top = tallies.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(size).map(Map.Entry::getKey).toList();
        for (String old : Set.copyOf(labelled)) {
            if (!top.contains(old)) {
                labelled.remove(old);
                dropped.accept(old);
            }
        }
        labelled.addAll(top);
        tallies.replaceAll((domain, count) -> count / 2);
        tallies.values().removeIf(count -> count == 0);
    }
}
