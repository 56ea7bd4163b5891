package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.config.RelayServer;
import org.heraldmta.config.RelayTls;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.SpoolException;
import org.heraldmta.spool.SpooledMessage;

/** A queue manager on a manual clock with an in-memory spool, a scripted agent and a recording event log. */
final class QueueHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2030-01-01T12:00:00Z");
    static final RelayServer RELAY = new RelayServer("relay1.example.test", 2526, RelayTls.NONE, Optional.empty(),
            Optional.empty());

    record Attempt(QueueId id, int number) {
    }

    final ManualClock clock = new ManualClock(START);
    final RecordingSpool spool = new RecordingSpool(clock);
    final ScriptedAgent agent = new ScriptedAgent(clock);
    final RecordingEventLog events = new RecordingEventLog();
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    final QueueManager queue;

    QueueHarness(DomainSettings defaults, List<RelayServer> relays) {
        this(defaults, Map.of(), relays);
    }

    QueueHarness(DomainSettings defaults, Map<String, DomainSettings> perDomain, List<RelayServer> relays) {
        this(new AtomicReference<>(new QueueSettings("herald.example.test", new DomainRules(defaults, perDomain),
                relays)), MxHostNames.none());
    }

    /** Settings a test may swap (then call {@code queue.settingsChanged()}), MX host names from {@code mx}. */
    QueueHarness(AtomicReference<QueueSettings> settings, MxHostNames mx) {
        queue = new QueueManager(spool, agent, settings::get, events,
                (id, number, request, report) -> attempts.add(new Attempt(id, number)), clock, mx);
    }

    static QueueSettings rules(DomainRules rules) {
        return new QueueSettings("herald.example.test", rules, List.of());
    }

    static DomainSettings settings(int direct, int relay) {
        return new DomainSettings(direct, relay, 5, List.of(Duration.ofMinutes(1)), 5, Duration.ZERO,
                Duration.ofDays(5), 25);
    }

    static DomainSettings settings(int direct, int relay, List<Duration> delays) {
        return new DomainSettings(direct, relay, 5, delays, 5, Duration.ZERO, Duration.ofDays(5), 25);
    }

    SpooledMessage send(String sender, String... recipients) throws SpoolException {
        SpooledMessage message = spool.accept(sender, recipients);
        queue.enqueue(message);
        return message;
    }

    void run() throws InterruptedException {
        queue.runUntilIdle();
    }

    void advance(Duration duration) throws InterruptedException {
        clock.advance(duration);
        queue.runUntilIdle();
    }

    /** Moves the clock to the next due time and runs; false when nothing waits. */
    boolean advanceToNextWakeUp() throws InterruptedException {
        Optional<Instant> next = queue.nextWakeUp();
        if (next.isEmpty()) {
            return false;
        }
        if (next.get().isAfter(clock.instant())) {
            clock.set(next.get());
        }
        queue.runUntilIdle();
        return true;
    }

    /** Messages from the null sender in the spool: the queued bounces. */
    List<SpooledMessage> notifications() {
        return spool.messages().stream().filter(m -> m.envelope().sender().isNullSender()).toList();
    }

    @Override
    public void close() {
        queue.close();
    }
}
