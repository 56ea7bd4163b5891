package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Test;

/** The shaping counters are a seam: queue managers given the same budgets keep one limit between them. */
class SharedShapingCountersTest {

    /** One budget per destination for every queue manager given it; each call under its own lock. */
    private static final class SharedCounters implements ShapingCounters {
        private final Map<Destination, DestinationBudget> budgets = new ConcurrentHashMap<>();

        @Override
        public DestinationBudget budgetOf(Destination destination) {
            return budgets.computeIfAbsent(destination, d -> new Synchronized(new InMemoryBudget()));
        }
    }

    private record Synchronized(DestinationBudget budget) implements DestinationBudget {
        @Override
        public synchronized boolean tryStart(long nowMillis, DomainSettings limits) {
            return budget.tryStart(nowMillis, limits);
        }

        @Override
        public synchronized boolean finished(long nowMillis, DomainSettings limits, boolean moreReady) {
            return budget.finished(nowMillis, limits, moreReady);
        }

        @Override
        public synchronized void throttle(long untilMillis, String reply) {
            budget.throttle(untilMillis, reply);
        }

        @Override
        public synchronized void wake(long nowMillis) {
            budget.wake(nowMillis);
        }

        @Override
        public synchronized Reading read() {
            return budget.read();
        }

        @Override
        public synchronized void clockSteppedBack(long backMillis) {
            budget.clockSteppedBack(backMillis);
        }
    }

    private static QueueManager node(RecordingSpool spool, ScriptedAgent agent, ShapingCounters counters) {
        DomainSettings twoConnections = new DomainSettings(3, 0, 2, List.of(Duration.ofMinutes(1)), 5,
                Duration.ZERO, Duration.ofDays(5), 25);
        QueueSettings settings = new QueueSettings("herald.example.test", new DomainRules(twoConnections, Map.of()),
                List.of());
        return new QueueManager(spool, agent, () -> settings, new RecordingEventLog(), AttemptLog.discard(),
                InstantSource.system(), MxHostNames.none(), counters);
    }

    @Test
    void twoQueueManagersSharingCountersTogetherKeepMaxConnections() throws Exception {
        InstantSource clock = InstantSource.system();
        ScriptedAgent agent = new ScriptedAgent(clock).gated();
        RecordingSpool spoolA = new RecordingSpool(clock);
        RecordingSpool spoolB = new RecordingSpool(clock);
        SharedCounters shared = new SharedCounters();
        try (QueueManager a = node(spoolA, agent, shared); QueueManager b = node(spoolB, agent, shared)) {
            for (int i = 0; i < 2; i++) {
                a.enqueue(spoolA.accept("alice@sender.test", "a" + i + "@busy.test"));
            }
            SpooledMessage fromB = spoolB.accept("alice@sender.test", "b@busy.test");
            b.enqueue(fromB);

            assertThat(a.runDueWork()).isEqualTo(2);
            assertThat(b.runDueWork()).as("the shared budget is spent").isZero();
            assertThat(b.whyWaiting(fromB.id())).map(WaitReason::text)
                    .contains("destination busy.test: 2 of 2 connections in use");
            await().until(() -> agent.waiting.get() == 2);

            agent.open();
            a.runUntilIdle();
            assertThat(b.runDueWork()).as("nobody told b that the budget is free").isZero();
            b.shapingCountersChanged();
            b.runUntilIdle();
            await().until(() -> spoolA.messages().isEmpty() && spoolB.messages().isEmpty());
            assertThat(agent.peakConcurrency("busy.test")).isEqualTo(2);
        }
    }

    @Test
    void withCountersOfTheirOwnEachQueueManagerHasTheWholeLimit() throws Exception {
        InstantSource clock = InstantSource.system();
        ScriptedAgent agent = new ScriptedAgent(clock).gated();
        RecordingSpool spoolA = new RecordingSpool(clock);
        RecordingSpool spoolB = new RecordingSpool(clock);
        try (QueueManager a = node(spoolA, agent, ShapingCounters.inMemory());
             QueueManager b = node(spoolB, agent, ShapingCounters.inMemory())) {
            for (int i = 0; i < 2; i++) {
                a.enqueue(spoolA.accept("alice@sender.test", "a" + i + "@busy.test"));
                b.enqueue(spoolB.accept("alice@sender.test", "b" + i + "@busy.test"));
            }

            assertThat(a.runDueWork()).isEqualTo(2);
            assertThat(b.runDueWork()).isEqualTo(2);
            await().until(() -> agent.waiting.get() == 4);

            agent.open();
            a.runUntilIdle();
            b.runUntilIdle();
            assertThat(agent.peakConcurrency("busy.test")).isEqualTo(4);
        }
    }
}
