package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heraldmta.qmgr.QueueHarness.START;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.heraldmta.config.DomainKey;
import org.heraldmta.config.DomainOverrides;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.Rate;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class QueueManagerRateAndThrottleTest {

    private static QueueHarness harness(Map<DomainKey, Object> defaults) {
        return new QueueHarness(new AtomicReference<>(QueueHarness.rules(new DomainRules(
                new DomainOverrides(defaults), Map.of(), Map.of(), Map.of()))), MxHostNames.none());
    }

    private static List<Duration> gaps(List<Instant> times) {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(Duration.between(times.get(i - 1), times.get(i)));
        }
        return gaps;
    }

    @ParameterizedTest
    @CsvSource({"100/m, 100", "5/s, 300", "1000/h, 17", "7/s, 420"})
    void messagesOverAMinuteStayWithinFivePercentOfMaxMessageRateAndComeEvenlySpaced(String rate, int perMinute)
            throws Exception {
        try (QueueHarness h = harness(Map.of(DomainKey.MAX_MESSAGE_RATE, Optional.of(Rate.parse(rate)),
                DomainKey.MAX_CONNECTIONS, 10))) {
            List<SpooledMessage> messages = new ArrayList<>();
            for (int i = 0; i < perMinute * 2; i++) {
                messages.add(h.send("alice@sender.test", "r" + i + "@example.test"));
            }
            h.run();
            assertThat(h.agent.calls()).as("no burst at the start").hasSize(1);
            assertThat(h.queue.whyWaiting(messages.get(1).id())).map(WaitReason::text).hasValueSatisfying(text ->
                    assertThat(text).startsWith("rate limit: next message at 12:00:0")
                            .endsWith("(destination example.test, " + rate + ")"));

            Instant minuteLater = START.plusSeconds(60);
            while (h.queue.nextWakeUp().map(t -> t.isBefore(minuteLater)).orElse(false)) {
                h.advanceToNextWakeUp();
            }

            List<Instant> times = h.agent.calls().stream().map(ScriptedAgent.Call::at)
                    .filter(t -> t.isBefore(minuteLater)).toList();
            double expected = Rate.parse(rate).count() * 60.0 / Rate.parse(rate).per().toSeconds();
            assertThat((double) times.size()).isBetween(expected * 0.95, expected * 1.05);
            long interval = Rate.parse(rate).intervalNanos() / 1_000_000;
            assertThat(gaps(times)).as("evenly spaced").allSatisfy(gap ->
                    assertThat(gap.toMillis()).isBetween(interval, interval + 1));
        }
    }

    @Test
    void theRateHoldsWhenEachMessageIsDoneBeforeTheNextArrives() throws Exception {
        try (QueueHarness h = harness(Map.of(DomainKey.MAX_MESSAGE_RATE, Optional.of(Rate.parse("100/m"))))) {
            for (int i = 0; i < 5; i++) {
                h.send("alice@sender.test", "r" + i + "@example.test");
                h.run();
                h.clock.advance(Duration.ofMillis(100));
            }
            while (h.advanceToNextWakeUp()) {
                // let the spacing run out
            }

            assertThat(gaps(h.agent.calls().stream().map(ScriptedAgent.Call::at).toList()))
                    .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(600)));
        }
    }

    @Test
    void aThrottleReplyPausesTheWholeDestinationVisiblyAndItResumesByItself() throws Exception {
        try (QueueHarness h = harness(Map.of(DomainKey.THROTTLE_REPLIES, List.of("421", "4.7.0", "rate limit"),
                DomainKey.THROTTLE_PAUSE, Duration.ofMinutes(15), DomainKey.MAX_CONNECTIONS, 1))) {
            h.agent.answering(t -> t.recipient().localPart().equals("r0") && t.nth() == 1
                    ? ScriptedAgent.deferred(t, 451, "4.7.0", "Too many messages, slow down")
                    : ScriptedAgent.delivered(t));
            List<SpooledMessage> messages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                messages.add(h.send("alice@sender.test", "r" + i + "@example.test"));
            }

            h.run();

            assertThat(h.agent.calls()).hasSize(1);
            assertThat(h.queue.whyWaiting(messages.get(0).id())).map(WaitReason::text).as("its retry at 12:01 "
                    + "waits for the pause").hasValueSatisfying(text -> assertThat(text)
                    .startsWith("paused by throttle reply until 12:15:00"));
            assertThat(h.queue.whyWaiting(messages.get(1).id())).map(WaitReason::text).contains(
                    "paused by throttle reply until 12:15:00 (destination example.test: 451 4.7.0 Too many messages,"
                            + " slow down)");
            assertThat(h.events.named("throttled")).singleElement().satisfies(e -> {
                assertThat(e.fields()).containsEntry("destination", "example.test")
                        .containsEntry("reply", "451 4.7.0 Too many messages, slow down")
                        .containsEntry("until", "2030-01-01T12:15:00Z");
            });

            h.advance(Duration.ofMinutes(14));
            assertThat(h.agent.calls()).as("the failed message's own retry waits for the pause too").hasSize(1);
            assertThat(h.queue.whyWaiting(messages.get(0).id())).map(WaitReason::text)
                    .hasValueSatisfying(text -> assertThat(text).startsWith("paused by throttle reply until 12:15:00"));

            h.advance(Duration.ofMinutes(1));
            assertThat(h.agent.calls()).hasSize(4).extracting(ScriptedAgent.Call::at)
                    .containsExactly(START, START.plusSeconds(900), START.plusSeconds(900), START.plusSeconds(900));
            assertThat(h.spool.messages()).isEmpty();
            assertThat(h.events.named("throttled")).hasSize(1);
        }
    }

    @Test
    void everyConnectionSettingOfTheDomainReachesTheDeliveryRequest() throws Exception {
        try (QueueHarness h = harness(Map.of(DomainKey.PORT, 2526, DomainKey.HELO_NAME,
                Optional.of("out.example.org"), DomainKey.SOURCE_ADDRESS, Optional.of("127.0.0.9"),
                DomainKey.TLS, org.heraldmta.config.DirectTls.OFF, DomainKey.MAX_MESSAGES_PER_CONNECTION, 7,
                DomainKey.MAX_CONNECTION_RATE, Optional.of(Rate.parse("10/s"))))) {
            h.send("alice@sender.test", "bob@example.test");

            h.run();

            assertThat(h.agent.calls()).singleElement().satisfies(call -> {
                assertThat(call.request().route()).isEqualTo(new org.heraldmta.smtp.Route.Direct(
                        org.heraldmta.mail.Domain.of("example.test"), 2526, org.heraldmta.config.DirectTls.OFF));
                assertThat(call.request().heloName()).isEqualTo("out.example.org");
                assertThat(call.request().connection()).isEqualTo(new org.heraldmta.smtp.ConnectionOptions(
                        "example.test", Optional.of("127.0.0.9"), 7, Optional.of(Rate.parse("10/s"))));
            });
        }
    }

    @Test
    void aReplyThatMatchesNoThrottlePatternPausesNothing() throws Exception {
        try (QueueHarness h = harness(Map.of(DomainKey.THROTTLE_REPLIES, List.of("421", "rate limit"),
                DomainKey.MAX_CONNECTIONS, 1))) {
            h.agent.answering(t -> t.recipient().localPart().equals("r0") && t.nth() == 1
                    ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t));
            for (int i = 0; i < 3; i++) {
                h.send("alice@sender.test", "r" + i + "@example.test");
            }

            h.run();

            assertThat(h.agent.calls()).hasSize(3);
            assertThat(h.events.named("throttled")).isEmpty();
        }
    }

    @Test
    void throttlePatternsMatchCodeEnhancedCodeOrTextWithoutRegardToCase() {
        assertThat(ThrottleReplies.matches("421", "421 4.7.0 Try again later")).isTrue();
        assertThat(ThrottleReplies.matches("421", "451 4.2.1 421 messages queued")).isFalse();
        assertThat(ThrottleReplies.matches("4.7.0", "421 4.7.0 Try again later")).isTrue();
        assertThat(ThrottleReplies.matches("4.7.0", "451 4.7.1 greylisted")).isFalse();
        assertThat(ThrottleReplies.matches("rate limit", "450 4.2.1 RATE LIMIT exceeded")).isTrue();
        assertThat(ThrottleReplies.matches("rate limit", "451 4.7.1 greylisted")).isFalse();
        assertThat(ThrottleReplies.firstMatch(List.of(), List.of("421 busy"))).isEmpty();
    }
}
