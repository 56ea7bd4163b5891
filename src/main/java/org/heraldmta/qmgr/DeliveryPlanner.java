package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.smtp.DeliveryMode;
import org.heraldmta.smtp.RecipientOutcome;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;

/**
 * Decides what happens to one recipient: which mode its next attempt takes, and what an attempt's outcome means.
 * A pure function of the domain's settings, the recipient's stored state and the outcome; no I/O, no clock.
 *
 * <p>The path: first up to {@code direct_attempts} direct attempts, then up to {@code relay_attempts} relay
 * attempts (none configured counts as 0), then a bounce. A temporary failure waits
 * {@code delayAfter(attempts so far)} before the next attempt on the same path; moving from direct to relay mode
 * does not wait, since the relay is a different path. A permanent failure that blames the sending host (for
 * example a block list) during direct mode moves straight to relay mode while a relay attempt is left; it is
 * recorded by counting the direct attempts as used up, because the spool keeps only the two counters.
 */
public final class DeliveryPlanner {

    private DeliveryPlanner() {
    }

    /** What one attempt (or expiry) does to a recipient: its new stored state and the event it is logged as. */
    public sealed interface Decision {
        RecipientStatus status();

        /** The event name: delivered, deferred, bounced or expired. */
        String event();

        record Delivered(RecipientStatus status) implements Decision {
            @Override
            public String event() {
                return "delivered";
            }
        }

        /** Still pending: tried again at {@code status().notBefore()}. */
        record Retry(RecipientStatus status, boolean switchedToRelay) implements Decision {
            @Override
            public String event() {
                return "deferred";
            }
        }

        /** Failed for good; {@code why} says why it will not be tried again. */
        record Bounce(RecipientStatus status, String why) implements Decision {
            @Override
            public String event() {
                return "bounced";
            }
        }

        /** Older than {@code max_age}. */
        record Expired(RecipientStatus status) implements Decision {
            @Override
            public String event() {
                return "expired";
            }
        }
    }

    /** The relay attempts a domain really has: none when no relay is configured. */
    public static int relayBudget(DomainSettings settings, boolean relaysConfigured) {
        return relaysConfigured ? Math.max(0, settings.relayAttempts()) : 0;
    }

    /** The mode of the recipient's next attempt, or empty when it has no attempt left. */
    public static Optional<DeliveryMode> nextMode(DomainSettings settings, boolean relaysConfigured,
                                                  RecipientStatus recipient) {
        if (recipient.directAttempts() < settings.directAttempts()) {
            return Optional.of(DeliveryMode.DIRECT);
        }
        if (recipient.relayAttempts() < relayBudget(settings, relaysConfigured)) {
            return Optional.of(DeliveryMode.RELAY);
        }
        return Optional.empty();
    }

    /**
     * What an attempt in {@code mode} with {@code outcome} means for a recipient that stood at {@code before}.
     *
     * @param now       when the attempt ended
     * @param expiresAt when the message reaches {@code max_age}: no retry is planned later than this
     */
    public static Decision afterAttempt(DomainSettings settings, boolean relaysConfigured, RecipientStatus before,
                                        DeliveryMode mode, RecipientOutcome outcome, Instant now,
                                        Instant expiresAt) {
        int direct = before.directAttempts() + (mode == DeliveryMode.DIRECT ? 1 : 0);
        int relay = before.relayAttempts() + (mode == DeliveryMode.RELAY ? 1 : 0);
        String step = outcome.step().label();
        String reply = describe(outcome);
        return switch (outcome) {
            case RecipientOutcome.Delivered d -> new Decision.Delivered(new RecipientStatus(before.recipient(),
                    RecipientState.DELIVERED, direct, relay, before.notBefore(), step, reply));
            case RecipientOutcome.Deferred d -> {
                RecipientStatus tried = new RecipientStatus(before.recipient(), RecipientState.PENDING, direct, relay,
                        before.notBefore(), step, reply);
                Optional<DeliveryMode> next = nextMode(settings, relaysConfigured, tried);
                if (next.isEmpty()) {
                    yield bounce(tried, "no attempt left after " + tried.attempts() + " temporary failures");
                }
                Instant at = next.get() == mode ? retryTime(settings, tried.attempts(), now, expiresAt) : now;
                yield new Decision.Retry(withNotBefore(tried, at), next.get() != mode);
            }
            case RecipientOutcome.Bounced b -> {
                RecipientStatus tried = new RecipientStatus(before.recipient(), RecipientState.PENDING, direct, relay,
                        before.notBefore(), step, reply);
                boolean relayLeft = relay < relayBudget(settings, relaysConfigured);
                if (b.blamesSender() && mode == DeliveryMode.DIRECT && relayLeft) {
                    RecipientStatus toRelay = new RecipientStatus(before.recipient(), RecipientState.PENDING,
                            Math.max(direct, settings.directAttempts()), relay, now, step, reply);
                    yield new Decision.Retry(toRelay, true);
                }
                yield bounce(tried, "permanent failure");
            }
        };
    }

    /** The decision for a recipient of a message older than {@code max_age}: it keeps its last step and reply. */
    public static Decision expire(RecipientStatus before) {
        return new Decision.Expired(new RecipientStatus(before.recipient(), RecipientState.EXPIRED,
                before.directAttempts(), before.relayAttempts(), before.notBefore(), before.lastStep(),
                before.lastReply()));
    }

    /** A bounce without an attempt: no route, or an operator's order. */
    public static Decision bounceWithoutAttempt(RecipientStatus before, String why) {
        return bounce(before, why);
    }

    private static Decision bounce(RecipientStatus tried, String why) {
        return new Decision.Bounce(new RecipientStatus(tried.recipient(), RecipientState.BOUNCED,
                tried.directAttempts(), tried.relayAttempts(), tried.notBefore(), tried.lastStep(),
                tried.lastReply()), why);
    }

    private static Instant retryTime(DomainSettings settings, int failures, Instant now, Instant expiresAt) {
        Duration delay = settings.delayAfter(failures);
        Instant at = now.plus(delay);
        return at.isAfter(expiresAt) ? expiresAt : at;
    }

    private static RecipientStatus withNotBefore(RecipientStatus status, Instant at) {
        return new RecipientStatus(status.recipient(), status.state(), status.directAttempts(),
                status.relayAttempts(), at, status.lastStep(), status.lastReply());
    }

    /** What the other side said, as stored and shown: "451 4.7.1 greylisted", or the local failure. */
    public static String describe(RecipientOutcome outcome) {
        return outcome.reply().map(SmtpReply::toString)
                .orElse(outcome.detail().isBlank() ? outcome.step().label() + " failed" : outcome.detail());
    }
}
