package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.qmgr.DeliveryPlanner.Decision;
import org.heraldmta.smtp.DeliveryMode;
import org.heraldmta.smtp.RecipientOutcome;
import org.heraldmta.smtp.Step;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;
import org.junit.jupiter.api.Test;

class DeliveryPlannerTest {

    private static final Address BOB = Address.parse("bob@example.test");
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final Instant FAR = NOW.plus(Duration.ofDays(5));

    private static DomainSettings settings(int direct, int relay) {
        return new DomainSettings(direct, relay, 5, List.of(Duration.ofMinutes(1), Duration.ofMinutes(10)), 5,
                Duration.ZERO, Duration.ofDays(5), 25);
    }

    private static RecipientStatus tried(int direct, int relay) {
        return new RecipientStatus(BOB, RecipientState.PENDING, direct, relay, Instant.EPOCH, "", "");
    }

    private static RecipientOutcome deferred() {
        return new RecipientOutcome.Deferred(BOB, Step.CONNECT, "mx.example.test", "127.0.0.1", Optional.empty(),
                "connection refused");
    }

    private static RecipientOutcome bounced(boolean blamesSender) {
        SmtpReply reply = SmtpReply.of(550, "5.7.1", "rejected");
        return new RecipientOutcome.Bounced(BOB, Step.RCPT, "mx.example.test", "127.0.0.1", Optional.of(reply),
                reply.toString(), blamesSender);
    }

    @Test
    void directAttemptsComeFirstThenRelayAttemptsThenNothing() {
        DomainSettings s = settings(2, 1);
        assertThat(DeliveryPlanner.nextMode(s, true, tried(0, 0))).contains(DeliveryMode.DIRECT);
        assertThat(DeliveryPlanner.nextMode(s, true, tried(1, 0))).contains(DeliveryMode.DIRECT);
        assertThat(DeliveryPlanner.nextMode(s, true, tried(2, 0))).contains(DeliveryMode.RELAY);
        assertThat(DeliveryPlanner.nextMode(s, true, tried(2, 1))).isEmpty();
        assertThat(DeliveryPlanner.nextMode(s, false, tried(2, 0))).as("no relay configured").isEmpty();
        assertThat(DeliveryPlanner.nextMode(settings(0, 1), true, tried(0, 0))).contains(DeliveryMode.RELAY);
    }

    @Test
    void aTemporaryFailureWaitsTheDelayForItsNumberOfFailures() {
        Decision first = DeliveryPlanner.afterAttempt(settings(5, 0), false, tried(0, 0), DeliveryMode.DIRECT,
                deferred(), NOW, FAR);
        Decision third = DeliveryPlanner.afterAttempt(settings(5, 0), false, tried(2, 0), DeliveryMode.DIRECT,
                deferred(), NOW, FAR);

        assertThat(first).isInstanceOf(Decision.Retry.class);
        assertThat(first.status().notBefore()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(first.status().lastReply()).isEqualTo("connection refused");
        assertThat(first.status().lastStep()).isEqualTo("connect");
        assertThat(third.status().notBefore()).as("the last value repeats").isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(third.status().directAttempts()).isEqualTo(3);
    }

    @Test
    void noRetryIsPlannedAfterTheMessageExpires() {
        Instant soon = NOW.plusSeconds(30);
        Decision decision = DeliveryPlanner.afterAttempt(settings(5, 0), false, tried(0, 0), DeliveryMode.DIRECT,
                deferred(), NOW, soon);

        assertThat(decision.status().notBefore()).isEqualTo(soon);
    }

    @Test
    void theLastTemporaryFailureBouncesWithItsReply() {
        Decision decision = DeliveryPlanner.afterAttempt(settings(2, 0), true, tried(1, 0), DeliveryMode.DIRECT,
                deferred(), NOW, FAR);

        assertThat(decision).isInstanceOf(Decision.Bounce.class);
        assertThat(decision.event()).isEqualTo("bounced");
        assertThat(decision.status().state()).isEqualTo(RecipientState.BOUNCED);
        assertThat(decision.status().lastReply()).isEqualTo("connection refused");
        assertThat(decision.status().directAttempts()).isEqualTo(2);
    }

    @Test
    void leavingDirectModeForRelayModeDoesNotWait() {
        Decision decision = DeliveryPlanner.afterAttempt(settings(1, 1), true, tried(0, 0), DeliveryMode.DIRECT,
                deferred(), NOW, FAR);

        assertThat(decision).isEqualTo(new Decision.Retry(new RecipientStatus(BOB, RecipientState.PENDING, 1, 0, NOW,
                "connect", "connection refused"), true));
    }

    @Test
    void aRejectionBlamingTheSenderSwitchesToRelayOnlyWhileARelayAttemptIsLeft() {
        Decision toRelay = DeliveryPlanner.afterAttempt(settings(3, 1), true, tried(0, 0), DeliveryMode.DIRECT,
                bounced(true), NOW, FAR);
        assertThat(toRelay).isInstanceOf(Decision.Retry.class);
        assertThat(toRelay.event()).isEqualTo("deferred");
        assertThat(toRelay.status().notBefore()).isEqualTo(NOW);
        assertThat(DeliveryPlanner.nextMode(settings(3, 1), true, toRelay.status())).contains(DeliveryMode.RELAY);

        assertThat(DeliveryPlanner.afterAttempt(settings(3, 0), true, tried(0, 0), DeliveryMode.DIRECT,
                bounced(true), NOW, FAR)).isInstanceOf(Decision.Bounce.class);
        assertThat(DeliveryPlanner.afterAttempt(settings(3, 1), true, tried(3, 0), DeliveryMode.RELAY,
                bounced(true), NOW, FAR)).as("in relay mode it bounces").isInstanceOf(Decision.Bounce.class);
        assertThat(DeliveryPlanner.afterAttempt(settings(3, 1), true, tried(0, 0), DeliveryMode.DIRECT,
                bounced(false), NOW, FAR)).as("blaming the recipient").isInstanceOf(Decision.Bounce.class);
    }

    @Test
    void deliveredCountsTheAttemptAndKeepsTheReply() {
        RecipientOutcome ok = new RecipientOutcome.Delivered(BOB, Step.DATA, "relay1", "127.0.0.1",
                Optional.of(SmtpReply.of(250, "2.0.0", "queued as 1")), "250 2.0.0 queued as 1");

        Decision decision = DeliveryPlanner.afterAttempt(settings(0, 2), true, tried(0, 0), DeliveryMode.RELAY, ok,
                NOW, FAR);

        assertThat(decision.status()).isEqualTo(new RecipientStatus(BOB, RecipientState.DELIVERED, 0, 1,
                Instant.EPOCH, "data", "250 2.0.0 queued as 1"));
    }

    @Test
    void expiryKeepsTheLastStepAndReply() {
        RecipientStatus before = new RecipientStatus(BOB, RecipientState.PENDING, 2, 0, NOW, "rcpt",
                "451 4.7.1 greylisted");

        Decision decision = DeliveryPlanner.expire(before);

        assertThat(decision.event()).isEqualTo("expired");
        assertThat(decision.status().state()).isEqualTo(RecipientState.EXPIRED);
        assertThat(decision.status().lastReply()).isEqualTo("451 4.7.1 greylisted");
    }
}
