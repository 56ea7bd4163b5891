package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heraldmta.qmgr.QueueHarness.START;
import static org.heraldmta.qmgr.QueueHarness.settings;

import java.time.Duration;
import java.util.List;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wall clock stepping back or forth neither loses mail nor holds it back beyond its retry delay. */
@Timeout(30)
class QueueManagerClockJumpTest {

    @Test
    void aClockSteppingBackADayDoesNotHoldADeferredMessageForADay() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(5, 0), List.of())) {
            h.agent.answering(t -> t.nth() == 1 ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t));
            SpooledMessage message = h.send("alice@sender.test", "grey@example.test");
            h.run();
            assertThat(h.events.named("deferred")).hasSize(1);

            h.clock.set(START.minus(Duration.ofDays(1)));
            h.run();
            h.advance(Duration.ofSeconds(59));
            assertThat(h.events.named("delivered")).as("not before its delay").isEmpty();
            h.advance(Duration.ofSeconds(1));

            assertThat(h.events.named("delivered")).hasSize(1);
            assertThat(h.spool.find(message.id())).isEmpty();
        }
    }

    @Test
    void aClockSteppingForwardRetriesWhatIsDueAndLosesNothing() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(5, 0), List.of())) {
            h.agent.answering(t -> t.nth() == 1 ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t));
            SpooledMessage first = h.send("alice@sender.test", "grey@example.test");
            h.run();

            h.advance(Duration.ofHours(6));
            SpooledMessage second = h.send("alice@sender.test", "grey@example.test");
            h.run();
            h.advance(Duration.ofSeconds(60));

            assertThat(h.events.named("delivered")).hasSize(2);
            assertThat(h.events.named("bounced")).isEmpty();
            assertThat(h.spool.find(first.id())).isEmpty();
            assertThat(h.spool.find(second.id())).isEmpty();
        }
    }

    @Test
    void aRetryTimeFarAheadInTheSpoolAfterARestartOnASteppedBackClockWaitsAtMostTheLongestDelay()
            throws Exception {
        try (QueueHarness h = new QueueHarness(settings(5, 0, List.of(Duration.ofMinutes(1),
                Duration.ofMinutes(10))), List.of())) {
            SpooledMessage accepted = h.spool.accept("alice@sender.test", "bob@example.test");
            RecipientStatus before = accepted.recipients().getFirst();
            // written before the restart, when the clock was a day ahead
            SpooledMessage stored = h.spool.update(accepted.id(), List.of(new RecipientStatus(before.recipient(),
                    RecipientState.PENDING, 1, 0, START.plus(Duration.ofDays(1)), "rcpt", "451 4.7.1 greylisted")),
                    false);
            h.queue.enqueue(stored);
            h.advance(Duration.ofMinutes(9));
            assertThat(h.events.named("delivered")).isEmpty();
            h.advance(Duration.ofMinutes(1));

            assertThat(h.events.named("delivered")).hasSize(1);
        }
    }
}
