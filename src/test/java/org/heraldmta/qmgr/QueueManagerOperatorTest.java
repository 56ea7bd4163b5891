package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heraldmta.qmgr.QueueHarness.START;
import static org.heraldmta.qmgr.QueueHarness.settings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.log.Event;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QueueManagerOperatorTest {

    private static DomainSettings hourlyRetries() {
        return settings(5, 0, List.of(Duration.ofHours(1)));
    }

    @Test
    void aHeldMessageIsNotScheduledUntilReleased() throws Exception {
        try (QueueHarness h = new QueueHarness(hourlyRetries(), List.of())) {
            SpooledMessage message = h.spool.accept("alice@sender.test", "bob@example.test");
            assertThat(h.queue.hold(message.id())).as("not queued yet, but in the spool").isTrue();
            h.queue.enqueue(h.spool.find(message.id()).orElseThrow());

            h.run();
            h.advance(Duration.ofDays(1));

            assertThat(h.agent.calls()).isEmpty();
            assertThat(h.spool.find(message.id()).orElseThrow().held()).isTrue();
            assertThat(h.queue.whyWaiting(message.id())).map(WaitReason::text).contains("held by operator");

            assertThat(h.queue.release(message.id())).isTrue();
            h.run();

            assertThat(h.agent.calls()).hasSize(1);
            assertThat(h.spool.find(message.id())).isEmpty();
            assertThat(h.events.all()).extracting(Event::event).containsSubsequence("held", "released", "delivered");
        }
    }

    @Test
    void holdingADeferredMessageKeepsItOutOfTheScheduleAndInTheSpool() throws Exception {
        try (QueueHarness h = new QueueHarness(hourlyRetries(), List.of())) {
            h.agent.answering(ScriptedAgent::greylisted);
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");
            h.run();

            h.queue.hold(message.id());
            h.advance(Duration.ofHours(2));

            assertThat(h.agent.calls()).hasSize(1);
            assertThat(h.queue.nextWakeUp()).isEmpty();
            assertThat(h.spool.find(message.id()).orElseThrow().held()).isTrue();
        }
    }

    @Test
    void retryNowSendsADeferredMessageWithoutWaitingForItsDelay() throws Exception {
        try (QueueHarness h = new QueueHarness(hourlyRetries(), List.of())) {
            h.agent.answering(t -> t.nth() == 1 ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t));
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");
            h.run();

            assertThat(h.queue.retryNow(message.id())).isTrue();
            h.run();

            assertThat(h.agent.calls()).extracting(ScriptedAgent.Call::at).containsExactly(START, START);
            assertThat(h.spool.find(message.id())).isEmpty();
        }
    }

    @Test
    void deleteRemovesAMessageWithoutABounce() throws Exception {
        try (QueueHarness h = new QueueHarness(hourlyRetries(), List.of())) {
            h.agent.answering(ScriptedAgent::greylisted);
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");
            h.run();

            assertThat(h.queue.delete(message.id())).isTrue();
            h.advance(Duration.ofHours(2));

            assertThat(h.spool.find(message.id())).isEmpty();
            assertThat(h.agent.calls()).hasSize(1);
            assertThat(h.queue.size()).isZero();
            assertThat(h.events.named("deleted")).hasSize(1);
            assertThat(h.events.named("bounce_queued")).isEmpty();
            assertThat(h.queue.delete(message.id())).as("already gone").isFalse();
        }
    }

    @Test
    void bounceByOperatorFailsThePendingRecipientsAndTellsTheSender() throws Exception {
        try (QueueHarness h = new QueueHarness(hourlyRetries(), List.of())) {
            h.agent.answering(t -> t.request().sender().isNullSender() ? ScriptedAgent.delivered(t)
                    : ScriptedAgent.greylisted(t));
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");
            h.run();

            assertThat(h.queue.bounce(message.id())).isTrue();
            h.run();

            assertThat(h.spool.find(message.id())).isEmpty();
            assertThat(h.events.named("bounced")).singleElement().satisfies(e -> assertThat(e.fields())
                    .containsEntry("recipient", "bob@example.test").containsEntry("reply", "bounced by operator"));
            String dsn = new String(h.agent.callsTo("sender.test").get(0).content(), StandardCharsets.UTF_8);
            assertThat(dsn).contains("Final-Recipient: rfc822; bob@example.test", "bounced by operator");
            assertThat(h.queue.size()).isZero();
        }
    }

    @Test
    void theSnapshotListsEveryPartWithStateNextAttemptAndReason() throws Exception {
        try (QueueHarness h = new QueueHarness(hourlyRetries(), List.of())) {
            h.agent.answering(t -> t.recipient().domain().name().equals("grey.test")
                    ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t));
            SpooledMessage deferred = h.send("alice@sender.test", "a@grey.test", "b@grey.test", "c@ok.test");
            h.run();
            SpooledMessage held = h.spool.accept("carol@sender.test", "d@example.test");
            h.queue.hold(held.id());
            h.queue.enqueue(h.spool.find(held.id()).orElseThrow());

            QueueSnapshot snapshot = h.queue.snapshot();

            assertThat(snapshot.entries()).hasSize(2);
            QueueEntry grey = entry(snapshot, deferred.id());
            assertThat(grey.domain().name()).isEqualTo("grey.test");
            assertThat(grey.state()).isEqualTo(QueueEntry.State.DEFERRED);
            assertThat(grey.sender().toString()).isEqualTo("alice@sender.test");
            assertThat(grey.recipients()).extracting(r -> r.recipient().toString())
                    .containsExactly("a@grey.test", "b@grey.test");
            assertThat(grey.nextAttempt()).contains(START.plus(Duration.ofHours(1)));
            assertThat(grey.reason()).map(WaitReason::text).contains("retry at 13:00:00 after 451 4.7.1 greylisted");
            QueueEntry heldEntry = entry(snapshot, held.id());
            assertThat(heldEntry.state()).isEqualTo(QueueEntry.State.HELD);
            assertThat(heldEntry.reason()).contains(new WaitReason.HeldByOperator());
            assertThat(snapshot.countByState()).containsEntry(QueueEntry.State.DEFERRED, 1L)
                    .containsEntry(QueueEntry.State.HELD, 1L).containsEntry(QueueEntry.State.ACTIVE, 0L);
        }
    }

    private static QueueEntry entry(QueueSnapshot snapshot, QueueId id) {
        return snapshot.entries().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aNotificationThatCannotBeStoredLeavesTheRecipientPendingInsteadOfLosingTheBounce() throws Exception {
        try (QueueHarness h = new QueueHarness(hourlyRetries(), List.of())) {
            h.agent.answering(ScriptedAgent::noSuchUser);
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");
            h.spool.commitsFail.set(true);

            h.run();

            assertThat(h.spool.find(message.id())).hasValueSatisfying(m ->
                    assertThat(m.recipients().get(0).state()).isEqualTo(
                            org.heraldmta.spool.RecipientState.PENDING));
            assertThat(h.events.named("bounced")).isEmpty();
            assertThat(h.events.named("deferred")).hasSize(1);

            h.spool.commitsFail.set(false);
            h.advanceToNextWakeUp();

            assertThat(h.events.named("bounce_queued")).hasSize(1);
            assertThat(h.spool.find(message.id())).isEmpty();
        }
    }

    @Test
    void bounceWhileTheDeliveryIsInFlightBouncesWhatTheAttemptDidNotDeliver() throws Exception {
        try (QueueHarness h = new QueueHarness(hourlyRetries(), List.of())) {
            h.agent.gated().answering(t -> t.request().sender().isNullSender() ? ScriptedAgent.delivered(t)
                    : t.recipient().localPart().equals("a") ? ScriptedAgent.delivered(t)
                    : ScriptedAgent.greylisted(t));
            SpooledMessage message = h.send("alice@sender.test", "a@example.test", "b@example.test");
            assertThat(h.queue.runDueWork()).isEqualTo(1);
            org.awaitility.Awaitility.await().until(() -> h.agent.waiting.get() == 1);

            assertThat(h.queue.bounce(message.id())).isTrue();
            h.agent.open();
            h.run();

            assertThat(h.events.forRecipient("a@example.test")).extracting(Event::event).containsExactly("delivered");
            assertThat(h.events.forRecipient("b@example.test")).extracting(Event::event)
                    .containsExactly("deferred", "bounced");
            assertThat(h.spool.find(message.id())).isEmpty();
            assertThat(h.events.named("bounce_queued")).hasSize(1);
        }
    }
}
