package org.heraldmta.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.heraldmta.qmgr.QueueEntry;
import org.heraldmta.qmgr.WaitReason;
import org.heraldmta.spool.RecipientStatus;

/** A queue entry (one message and recipient domain) as the API shows it. */
final class QueueView {

    private QueueView() {
    }

    /** {@code zone}: the time zone of the reason's sentence (see {@link ReasonZone}). */
    static Map<String, Object> entry(QueueEntry entry, Instant now, ZoneId zone) {
        return Json.object(
                "id", entry.id().value(),
                "sender", entry.sender().toString(),
                "domain", entry.domain().name(),
                "recipients", entry.recipients().stream().map(r -> r.recipient().toString()).toList(),
                "state", entry.state().label(),
                "received", entry.received(),
                "age_seconds", ageSeconds(entry, now),
                "size", entry.size(),
                "attempts", attempts(entry),
                "next_attempt", entry.nextAttempt(),
                "reason", entry.reason().map(reason -> reason.text(zone)),
                "reason_until", entry.reason().flatMap(WaitReason::until),
                "last_reply", lastReply(entry));
    }

    static long ageSeconds(QueueEntry entry, Instant now) {
        return Math.max(0, Duration.between(entry.received(), now).toSeconds());
    }

    static int attempts(QueueEntry entry) {
        return entry.recipients().stream().mapToInt(RecipientStatus::attempts).max().orElse(0);
    }

    /** The last reply of the entry's recipients, or null before any attempt. */
    static String lastReply(QueueEntry entry) {
        return entry.recipients().stream().map(RecipientStatus::lastReply).filter(r -> !r.isBlank()).findFirst()
                .orElse(null);
    }
}
