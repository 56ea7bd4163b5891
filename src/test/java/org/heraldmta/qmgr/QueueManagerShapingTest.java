package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.heraldmta.qmgr.QueueHarness.START;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QueueManagerShapingTest {

    private static DomainSettings limits(int maxConnections, int maxContinuous, Duration pause) {
        return new DomainSettings(3, 0, maxConnections, List.of(Duration.ofMinutes(1)), maxContinuous, pause,
                Duration.ofDays(5), 25);
    }

    @Test
    void peakConcurrencyNeverExceedsMaxConnectionsPerDomainWithManyMessages() throws Exception {
        java.time.InstantSource clock = java.time.InstantSource.system();
        RecordingSpool spool = new RecordingSpool(clock);
        ScriptedAgent agent = new ScriptedAgent(clock).withLatency(Duration.ofMillis(3));
        QueueSettings settings = new QueueSettings("herald.example.test", new DomainRules(limits(3, 5, Duration.ZERO),
                Map.of("two.test", limits(2, 5, Duration.ZERO))), List.of());
        try (QueueManager queue = new QueueManager(spool, agent, () -> settings, new RecordingEventLog(),
                AttemptLog.discard(), clock)) {
            queue.start();
            for (int i = 0; i < 40; i++) {
                queue.enqueue(spool.accept("alice@sender.test", "r" + i + "@three.test"));
                queue.enqueue(spool.accept("alice@sender.test", "r" + i + "@two.test"));
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> spool.messages().isEmpty());

            assertThat(agent.callsTo("three.test")).hasSize(40);
            assertThat(agent.callsTo("two.test")).hasSize(40);
            assertThat(agent.peakConcurrency("three.test")).isEqualTo(3);
            assertThat(agent.peakConcurrency("two.test")).isEqualTo(2);
        }
    }

    @Test
    void workBeyondMaxConnectionsSaysWhyItWaitsAndASlowDomainDoesNotHoldUpAnother() throws Exception {
        try (QueueHarness h = new QueueHarness(limits(3, 5, Duration.ZERO),
                Map.of("slow.test", limits(2, 5, Duration.ZERO)), List.of())) {
            h.agent.gated();
            List<SpooledMessage> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slow.add(h.send("alice@sender.test", "r" + i + "@slow.test"));
            }

            assertThat(h.queue.runDueWork()).isEqualTo(2);
            await().until(() -> h.agent.waiting.get() == 2);
            assertThat(h.queue.whyWaiting(slow.get(2).id())).map(WaitReason::text)
                    .contains("destination slow.test: 2 of 2 connections in use");
            assertThat(h.queue.whyWaiting(slow.get(0).id())).as("in flight: moving").isEmpty();

            SpooledMessage fast = h.send("alice@sender.test", "x@fast.test");
            assertThat(h.queue.runDueWork()).as("another domain starts while slow.test is busy").isEqualTo(1);
            await().until(() -> h.agent.waiting.get() == 3);
            assertThat(h.agent.callsTo("fast.test")).hasSize(1);

            h.agent.open();
            h.run();
            assertThat(h.spool.messages()).isEmpty();
            assertThat(h.spool.find(fast.id())).isEmpty();
        }
    }

    @Test
    void burstsOfMaxContinuousAreSeparatedByDelayForContinuing() throws Exception {
        try (QueueHarness h = new QueueHarness(limits(1, 3, Duration.ofSeconds(10)), List.of())) {
            List<SpooledMessage> messages = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                messages.add(h.send("alice@sender.test", "r" + i + "@example.test"));
            }

            h.run();
            assertThat(h.agent.calls()).hasSize(3);
            assertThat(h.queue.whyWaiting(messages.get(3).id())).hasValueSatisfying(reason -> {
                assertThat(reason).isEqualTo(new WaitReason.BurstPause("example.test", START.plusSeconds(10)));
                assertThat(reason.text()).startsWith("burst pause until 12:00:10");
            });

            h.advance(Duration.ofSeconds(9));
            assertThat(h.agent.calls()).hasSize(3);
            h.advance(Duration.ofSeconds(1));
            assertThat(h.agent.calls()).hasSize(6);
            h.advance(Duration.ofSeconds(10));

            assertThat(h.agent.calls()).extracting(ScriptedAgent.Call::at).containsExactly(
                    START, START, START,
                    START.plusSeconds(10), START.plusSeconds(10), START.plusSeconds(10),
                    START.plusSeconds(20), START.plusSeconds(20));
            assertThat(h.spool.messages()).isEmpty();
        }
    }

    @Test
    void aBurstPauseStartsWhenTheBurstsLastDeliveryEnds() throws Exception {
        try (QueueHarness h = new QueueHarness(limits(2, 2, Duration.ofSeconds(5)), List.of())) {
            h.agent.gated();
            List<SpooledMessage> messages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                messages.add(h.send("alice@sender.test", "r" + i + "@example.test"));
            }
            assertThat(h.queue.runDueWork()).isEqualTo(2);
            await().until(() -> h.agent.waiting.get() == 2);
            assertThat(h.queue.whyWaiting(messages.get(2).id())).map(WaitReason::text)
                    .contains("destination example.test: burst complete, pause of 5s after 2 deliveries finish");

            h.clock.advance(Duration.ofSeconds(30));
            h.agent.open();
            h.run();

            assertThat(h.queue.nextWakeUp()).contains(START.plusSeconds(35));
        }
    }

    @Test
    void delayAfterFailureIsFollowedValueByValueAndTheLastRepeats() throws Exception {
        DomainSettings settings = QueueHarness.settings(5, 0,
                List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30)));
        try (QueueHarness h = new QueueHarness(settings, List.of())) {
            h.agent.answering(t -> t.request().sender().isNullSender() ? ScriptedAgent.delivered(t)
                    : ScriptedAgent.greylisted(t));
            h.send("alice@sender.test", "bob@example.test");

            h.run();
            while (h.advanceToNextWakeUp()) {
                // follow every retry
            }

            List<Instant> times = h.agent.callsTo("example.test").stream().map(ScriptedAgent.Call::at).toList();
            List<Duration> gaps = new ArrayList<>();
            for (int i = 1; i < times.size(); i++) {
                gaps.add(Duration.between(times.get(i - 1), times.get(i)));
            }
            assertThat(gaps).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
                    Duration.ofMinutes(30));
            assertThat(h.events.forRecipient("bob@example.test")).last()
                    .satisfies(e -> assertThat(e.event()).isEqualTo("bounced"));
        }
    }
}
