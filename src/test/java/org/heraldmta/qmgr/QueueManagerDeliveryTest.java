package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heraldmta.qmgr.QueueHarness.RELAY;
import static org.heraldmta.qmgr.QueueHarness.START;
import static org.heraldmta.qmgr.QueueHarness.settings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.log.Event;
import org.heraldmta.mail.Address;
import org.heraldmta.smtp.DeliveryMode;
import org.heraldmta.smtp.Route;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QueueManagerDeliveryTest {

    @Test
    void deliveredMessageIsRemovedFromTheSpoolAndLoggedWithEveryField() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(3, 3), List.of(RELAY))) {
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");

            h.run();

            assertThat(h.spool.find(message.id())).isEmpty();
            assertThat(h.agent.calls()).hasSize(1);
            ScriptedAgent.Call call = h.agent.calls().get(0);
            assertThat(call.request().route()).isEqualTo(new Route.Direct(message.envelope().recipients().get(0)
                    .domain(), 25, false));
            assertThat(call.request().attempt()).isEqualTo(1);
            assertThat(call.request().heloName()).isEqualTo("herald.example.test");
            assertThat(new String(call.content(), StandardCharsets.US_ASCII)).contains("Subject: test message");
            List<Event> delivered = h.events.named("delivered");
            assertThat(delivered).hasSize(1);
            assertThat(delivered.get(0).fields()).containsExactly(
                    Map.entry("queue_id", message.id().value()),
                    Map.entry("recipient", "bob@example.test"),
                    Map.entry("domain", "example.test"),
                    Map.entry("mode", "direct"),
                    Map.entry("host", "mx.example.test"),
                    Map.entry("ip", "127.0.0.1"),
                    Map.entry("attempt", 1),
                    Map.entry("step", "data"),
                    Map.entry("code", 250),
                    Map.entry("enhanced", "2.0.0"),
                    Map.entry("reply", "250 2.0.0 ok queued"));
            assertThat(h.attempts).containsExactly(new QueueHarness.Attempt(message.id(), 1));
            assertThat(h.queue.size()).isZero();
        }
    }

    @Test
    void greylistedRecipientIsRetriedAfterTheDelayWhileAnotherMessageToTheDomainGoesAhead() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(5, 0), List.of())) {
            h.agent.answering(t -> t.recipient().localPart().equals("grey") && t.nth() == 1
                    ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t));
            SpooledMessage first = h.send("alice@sender.test", "grey@example.test");
            SpooledMessage second = h.send("alice@sender.test", "other@example.test");

            h.run();

            assertThat(h.events.named("deferred")).singleElement()
                    .satisfies(e -> assertThat(e.fields()).containsEntry("recipient", "grey@example.test")
                            .containsEntry("code", 451).containsEntry("enhanced", "4.7.1")
                            .containsEntry("step", "rcpt"));
            assertThat(h.spool.find(second.id())).as("the second message went ahead").isEmpty();
            assertThat(h.queue.whyWaiting(first.id())).hasValueSatisfying(reason -> {
                assertThat(reason).isEqualTo(new WaitReason.RetryAt(START.plusSeconds(60),
                        "451 4.7.1 greylisted"));
                assertThat(reason.text()).isEqualTo("retry at 12:01:00 after 451 4.7.1 greylisted");
            });

            h.advance(Duration.ofSeconds(59));
            assertThat(h.agent.callsTo("example.test")).hasSize(2);

            h.advance(Duration.ofSeconds(1));
            assertThat(h.agent.callsTo("example.test")).hasSize(3);
            assertThat(h.spool.find(first.id())).isEmpty();
            assertThat(h.events.named("delivered")).extracting(e -> e.fields().get("recipient"))
                    .containsExactly("other@example.test", "grey@example.test");
            assertThat(h.events.forRecipient("grey@example.test")).extracting(e -> e.fields().get("attempt"))
                    .containsExactly(1, 2);
        }
    }

    @Test
    void permanentFailureOfOneRecipientOfThreeBouncesOnlyThatOneAndQueuesANotification() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(3, 3), List.of(RELAY))) {
            h.agent.answering(t -> t.recipient().localPart().equals("b") && t.request().sender().domain() != null
                    ? ScriptedAgent.noSuchUser(t) : ScriptedAgent.delivered(t));
            SpooledMessage message = h.send("alice@sender.test", "a@example.test", "b@example.test",
                    "c@example.test");

            h.run();

            ScriptedAgent.Call original = h.agent.calls().get(0);
            assertThat(original.request().recipients()).as("one transaction for the domain")
                    .extracting(Address::toString)
                    .containsExactly("a@example.test", "b@example.test", "c@example.test");
            assertThat(h.events.named("delivered")).extracting(e -> e.fields().get("recipient"))
                    .contains("a@example.test", "c@example.test");
            assertThat(h.events.named("bounced")).singleElement().satisfies(e -> assertThat(e.fields())
                    .containsEntry("recipient", "b@example.test").containsEntry("code", 550)
                    .containsEntry("enhanced", "5.1.1").containsEntry("reply", "550 5.1.1 no such user"));
            Event queued = h.events.named("bounce_queued").get(0);
            assertThat(queued.fields()).containsEntry("original_queue_id", message.id().value())
                    .containsEntry("recipient", "alice@sender.test");
            assertThat(h.spool.find(message.id())).isEmpty();

            ScriptedAgent.Call bounce = h.agent.callsTo("sender.test").get(0);
            assertThat(bounce.request().id().value()).isEqualTo(queued.fields().get("queue_id"));
            assertThat(bounce.request().sender()).isEqualTo(Address.NULL_SENDER);
            assertThat(bounce.request().recipients()).containsExactly(Address.parse("alice@sender.test"));
            String dsn = new String(bounce.content(), StandardCharsets.UTF_8);
            assertThat(dsn).contains("From: Mail Delivery System <MAILER-DAEMON@herald.example.test>",
                    "To: alice@sender.test", "Auto-Submitted: auto-replied",
                    "report-type=delivery-status",
                    "Final-Recipient: rfc822; b@example.test", "Action: failed", "Status: 5.1.1",
                    "Remote-MTA: dns; mx.example.test", "Diagnostic-Code: smtp; 550 5.1.1 no such user",
                    "X-Herald-Queue-ID: " + message.id(), "Subject: test message");
            assertThat(dsn).doesNotContain("Final-Recipient: rfc822; a@example.test");
        }
    }

    @Test
    void afterTheDirectAttemptsTheRelayIsTriedAtOnceAndDelivers() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(2, 2), List.of(RELAY))) {
            h.agent.answering(t -> t.request().route() instanceof Route.Direct
                    ? ScriptedAgent.deferred(t, 421, "4.4.2", "try later") : ScriptedAgent.delivered(t));
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");

            h.run();
            h.advance(Duration.ofMinutes(1));

            assertThat(h.agent.calls()).extracting(c -> c.request().route().mode())
                    .containsExactly(DeliveryMode.DIRECT, DeliveryMode.DIRECT, DeliveryMode.RELAY);
            assertThat(h.agent.calls().get(2).request().route()).isEqualTo(new Route.Relay(List.of(RELAY)));
            assertThat(h.agent.calls().get(2).at()).as("no wait when changing path")
                    .isEqualTo(h.agent.calls().get(1).at());
            assertThat(h.events.forRecipient("bob@example.test")).extracting(Event::event, e -> e.fields()
                            .get("mode"), e -> e.fields().get("attempt"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("deferred", "direct", 1),
                            org.assertj.core.groups.Tuple.tuple("deferred", "direct", 2),
                            org.assertj.core.groups.Tuple.tuple("delivered", "relay", 3));
            assertThat(h.spool.find(message.id())).isEmpty();
        }
    }

    @Test
    void withNoDirectAttemptsEveryAttemptGoesThroughTheRelay() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(0, 2), List.of(RELAY))) {
            h.agent.answering(t -> t.nth() == 1 ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t));
            h.send("alice@sender.test", "bob@example.test");

            h.run();
            h.advance(Duration.ofMinutes(1));

            assertThat(h.agent.calls()).extracting(c -> c.request().route().mode())
                    .containsExactly(DeliveryMode.RELAY, DeliveryMode.RELAY);
            assertThat(h.events.named("delivered")).singleElement()
                    .satisfies(e -> assertThat(e.fields()).containsEntry("mode", "relay")
                            .containsEntry("host", "relay1.example.test"));
        }
    }

    @Test
    void withRelayAttemptsZeroTheMessageBouncesAfterTheDirectAttempts() throws Exception {
        neverRelays(settings(3, 0), List.of(RELAY));
    }

    @Test
    void withoutAnyRelayConfiguredRelayAttemptsCountAsZero() throws Exception {
        neverRelays(settings(3, 3), List.of());
    }

    private static void neverRelays(DomainSettings settings, List<org.heraldmta.config.RelayServer> relays)
            throws Exception {
        try (QueueHarness h = new QueueHarness(settings, relays)) {
            h.agent.answering(ScriptedAgent::greylisted);
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");

            h.run();
            while (h.advanceToNextWakeUp()) {
                // follow every retry
            }

            assertThat(h.agent.callsTo("example.test")).hasSize(3)
                    .allSatisfy(c -> assertThat(c.request().route().mode()).isEqualTo(DeliveryMode.DIRECT));
            assertThat(h.events.forRecipient("bob@example.test")).extracting(Event::event)
                    .containsExactly("deferred", "deferred", "bounced");
            assertThat(h.events.named("bounced").get(0).fields()).containsEntry("attempt", 3)
                    .containsEntry("reply", "451 4.7.1 greylisted");
            assertThat(h.events.named("bounce_queued")).hasSize(1);
            assertThat(h.spool.find(message.id())).isEmpty();
            String dsn = new String(h.agent.callsTo("sender.test").get(0).content(), StandardCharsets.UTF_8);
            assertThat(dsn).contains("Status: 4.7.1", "Diagnostic-Code: smtp; 451 4.7.1 greylisted");
        }
    }

    @Test
    void aRejectionThatBlamesTheSenderMovesToRelayModeAtOnceWithoutABounce() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(3, 1), List.of(RELAY))) {
            h.agent.answering(t -> t.request().route() instanceof Route.Direct
                    ? ScriptedAgent.bounced(t, 554, "5.7.1", "listed at a block list", true)
                    : ScriptedAgent.delivered(t));
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");

            h.run();

            assertThat(h.agent.calls()).extracting(c -> c.request().route().mode())
                    .containsExactly(DeliveryMode.DIRECT, DeliveryMode.RELAY);
            assertThat(h.events.forRecipient("bob@example.test")).extracting(Event::event)
                    .containsExactly("deferred", "delivered");
            assertThat(h.events.named("bounce_queued")).isEmpty();
            assertThat(h.spool.find(message.id())).isEmpty();
        }
    }

    @Test
    void aRejectionThatBlamesTheSenderBouncesWhenNoRelayAttemptIsLeft() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(3, 0), List.of(RELAY))) {
            h.agent.answering(t -> t.request().sender().isNullSender() ? ScriptedAgent.delivered(t)
                    : ScriptedAgent.bounced(t, 554, "5.7.1", "listed at a block list", true));
            h.send("alice@sender.test", "bob@example.test");

            h.run();

            assertThat(h.agent.callsTo("example.test")).hasSize(1);
            assertThat(h.events.named("bounced")).hasSize(1);
            assertThat(h.events.named("bounce_queued")).hasSize(1);
        }
    }

    @Test
    void aMessageOlderThanMaxAgeExpiresOnTimeAndBounces() throws Exception {
        DomainSettings settings = new DomainSettings(100, 0, 5, List.of(Duration.ofMinutes(4)), 5, Duration.ZERO,
                Duration.ofMinutes(10), 25);
        try (QueueHarness h = new QueueHarness(settings, List.of())) {
            h.agent.answering(t -> t.request().sender().isNullSender() ? ScriptedAgent.delivered(t)
                    : ScriptedAgent.greylisted(t));
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");

            h.run();
            h.advanceToNextWakeUp();
            h.advanceToNextWakeUp();
            assertThat(h.queue.nextWakeUp()).as("the retry after 12 minutes is cut to the expiry")
                    .contains(START.plus(Duration.ofMinutes(10)));
            h.advanceToNextWakeUp();

            assertThat(h.agent.callsTo("example.test")).extracting(ScriptedAgent.Call::at)
                    .containsExactly(START, START.plus(Duration.ofMinutes(4)), START.plus(Duration.ofMinutes(8)));
            assertThat(h.events.forRecipient("bob@example.test")).extracting(Event::event)
                    .containsExactly("deferred", "deferred", "deferred", "expired");
            assertThat(h.events.named("expired").get(0).fields()).containsEntry("queue_id", message.id().value())
                    .containsEntry("step", "rcpt").containsEntry("code", 451)
                    .containsEntry("reply", "451 4.7.1 greylisted").containsEntry("mode", "");
            assertThat(h.spool.find(message.id())).isEmpty();
            String dsn = new String(h.agent.callsTo("sender.test").get(0).content(), StandardCharsets.UTF_8);
            assertThat(dsn).contains("Final-Recipient: rfc822; bob@example.test", "Status: 4.7.1",
                    "delivery time expired");
        }
    }

    @Test
    void aMessageFromTheNullSenderNeverBounces() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(3, 3), List.of(RELAY))) {
            h.agent.answering(ScriptedAgent::noSuchUser);
            SpooledMessage message = h.send("", "bob@example.test");

            h.run();

            assertThat(h.events.named("bounced")).hasSize(1);
            assertThat(h.events.named("bounce_queued")).isEmpty();
            assertThat(h.spool.messages()).isEmpty();
            assertThat(h.spool.find(message.id())).isEmpty();
            assertThat(h.agent.calls()).hasSize(1);
        }
    }

    @Test
    void everyAttemptIsInTheSpoolBeforeTheNextAndTheMessageIsRemovedWhenDone() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(5, 0), List.of())) {
            List<RecipientStatus> seenByAttempt = new java.util.concurrent.CopyOnWriteArrayList<>();
            h.agent.answering(t -> {
                seenByAttempt.add(h.spool.find(t.request().id()).orElseThrow().recipients().get(0));
                return t.nth() < 3 ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t);
            });
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");

            h.run();
            h.advanceToNextWakeUp();
            h.advanceToNextWakeUp();

            assertThat(seenByAttempt).extracting(RecipientStatus::directAttempts).containsExactly(0, 1, 2);
            List<RecordingSpool.Change> changes = h.spool.changesOf(message.id());
            assertThat(changes).hasSize(3);
            assertThat(changes.get(0).recipients().get(0)).satisfies(r -> {
                assertThat(r.state()).isEqualTo(RecipientState.PENDING);
                assertThat(r.directAttempts()).isEqualTo(1);
                assertThat(r.notBefore()).isEqualTo(START.plusSeconds(60));
                assertThat(r.lastStep()).isEqualTo("rcpt");
                assertThat(r.lastReply()).isEqualTo("451 4.7.1 greylisted");
            });
            assertThat(changes.get(1).recipients().get(0).directAttempts()).isEqualTo(2);
            assertThat(changes.get(2).removed()).isTrue();
        }
    }

    @Test
    void recipientsInTwoDomainsGoInTwoDeliveriesAndBothResultsAreKept() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(3, 0), List.of())) {
            h.agent.answering(t -> t.recipient().domain().name().equals("slow.test")
                    ? ScriptedAgent.greylisted(t) : ScriptedAgent.delivered(t));
            SpooledMessage message = h.send("alice@sender.test", "a@fast.test", "b@slow.test", "c@fast.test");

            h.run();

            assertThat(h.agent.calls()).hasSize(2);
            assertThat(h.agent.callsTo("fast.test").get(0).request().recipients()).extracting(Address::toString)
                    .containsExactly("a@fast.test", "c@fast.test");
            assertThat(h.spool.find(message.id()).orElseThrow().recipients()).extracting(RecipientStatus::state)
                    .containsExactly(RecipientState.DELIVERED, RecipientState.PENDING, RecipientState.DELIVERED);
            assertThat(h.attempts).extracting(QueueHarness.Attempt::number).containsExactlyInAnyOrder(1, 2);
        }
    }

    @Test
    void aRecoveredMessageContinuesWhereItStopped() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(3, 0, List.of(Duration.ofMinutes(5))), List.of())) {
            SpooledMessage accepted = h.spool.accept("alice@sender.test", "a@example.test", "b@example.test");
            Instant later = START.plus(Duration.ofMinutes(5));
            SpooledMessage recovered = h.spool.update(accepted.id(), List.of(
                    new RecipientStatus(Address.parse("a@example.test"), RecipientState.DELIVERED, 1, 0, START,
                            "data", "250 ok"),
                    new RecipientStatus(Address.parse("b@example.test"), RecipientState.PENDING, 1, 0, later,
                            "rcpt", "451 4.7.1 greylisted")), false);

            h.queue.enqueue(recovered);
            h.run();
            assertThat(h.agent.calls()).isEmpty();
            assertThat(h.queue.whyWaiting(recovered.id())).map(WaitReason::text)
                    .contains("retry at 12:05:00 after 451 4.7.1 greylisted");

            h.advanceToNextWakeUp();

            assertThat(h.agent.calls()).singleElement().satisfies(c -> {
                assertThat(c.request().recipients()).containsExactly(Address.parse("b@example.test"));
                assertThat(c.request().attempt()).isEqualTo(2);
            });
            assertThat(h.spool.find(recovered.id())).isEmpty();
        }
    }

    @Test
    void anAgentThatThrowsDefersTheRecipientsInsteadOfLosingThem() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(3, 0), List.of())) {
            h.agent.answering(t -> {
                throw new IllegalStateException("bug in the agent");
            });
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test");

            h.run();

            assertThat(h.events.named("deferred")).singleElement().satisfies(e -> assertThat(e.fields())
                    .containsEntry("reply", "delivery agent failed: java.lang.IllegalStateException: bug in the agent"));
            assertThat(h.spool.find(message.id()).orElseThrow().recipients().get(0).directAttempts()).isEqualTo(1);
            assertThat(h.queue.nextWakeUp()).contains(START.plusSeconds(60));
        }
    }

    @Test
    void theDispatcherThreadDeliversMessagesQueuedAfterStartAndCloseWaitsForIt() throws Exception {
        java.time.InstantSource clock = java.time.InstantSource.system();
        RecordingSpool spool = new RecordingSpool(clock);
        ScriptedAgent agent = new ScriptedAgent(clock).withLatency(Duration.ofMillis(20));
        QueueSettings settings = new QueueSettings("herald.example.test",
                new org.heraldmta.config.DomainRules(settings(3, 0), Map.of()), List.of());
        QueueManager queue = new QueueManager(spool, agent, () -> settings, new RecordingEventLog(),
                AttemptLog.discard(), clock);
        queue.start();
        SpooledMessage message = spool.accept("alice@sender.test", "bob@example.test");

        queue.enqueue(message);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.calls().size() == 1);
        queue.close();

        assertThat(spool.find(message.id())).as("close waited for the delivery in flight").isEmpty();
        assertThat(queue.runDueWork()).as("nothing starts after close").isZero();
    }
}
