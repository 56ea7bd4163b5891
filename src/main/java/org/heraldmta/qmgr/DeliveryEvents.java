package org.heraldmta.qmgr;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventLog;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.EnhancedStatus;
import org.heraldmta.mail.QueueId;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.smtp.DeliveryMode;
import org.heraldmta.smtp.RecipientOutcome;
import org.heraldmta.spool.RecipientStatus;

/**
 * Writes the queue manager's events: {@code delivered}, {@code deferred}, {@code bounced} and {@code expired}, one
 * per recipient per attempt, with the fields queue_id, recipient, domain, mode, host, ip, attempt, step, code,
 * enhanced and reply in that order (absent text is "", an absent code is null); {@code bounce_queued} when a
 * notification is queued; {@code held}, {@code released}, {@code deleted} for operator actions.
 */
final class DeliveryEvents {

    private final EventLog log;

    DeliveryEvents(EventLog log) {
        this.log = log;
    }

    /** An event for a recipient after an attempt in {@code mode} ended with {@code outcome}. */
    void afterAttempt(Instant time, String event, QueueId id, Domain domain, DeliveryMode mode,
                      RecipientOutcome outcome, int attempt) {
        Optional<SmtpReply> reply = outcome.reply();
        String text = outcome.detail().isBlank() ? reply.map(SmtpReply::toString).orElse("") : outcome.detail();
        write(time, event, id, outcome.recipient(), domain, mode.label(), outcome.host(), outcome.ip(), attempt,
                outcome.step().label(), reply, text);
    }

    /**
     * An event for a recipient settled without an attempt (expired, no route, bounced by an operator): step and
     * reply are the last ones stored, {@code note} (when not blank) says why.
     */
    void withoutAttempt(Instant time, String event, QueueId id, Domain domain, RecipientStatus status, int attempt,
                        String note) {
        Optional<SmtpReply> reply = ReplyText.parse(status.lastReply());
        String text = note.isBlank() ? status.lastReply() : note;
        write(time, event, id, status.recipient(), domain, "", "", "", attempt, status.lastStep(), reply, text);
    }

    void bounceQueued(Instant time, QueueId notification, QueueId original, Address sender) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("queue_id", notification.value());
        fields.put("original_queue_id", original.value());
        fields.put("recipient", sender.toString());
        log.write(new Event(time, "bounce_queued", fields));
    }

    /** A reply matched throttle_replies: the destination starts nothing until {@code until}. */
    void throttled(Instant time, String destination, String reply, Instant until) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("destination", destination);
        fields.put("reply", reply);
        fields.put("until", until.toString());
        log.write(new Event(time, "throttled", fields));
    }

    void operatorAction(Instant time, String event, QueueId id) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("queue_id", id.value());
        log.write(new Event(time, event, fields));
    }

    private void write(Instant time, String event, QueueId id, Address recipient, Domain domain, String mode,
                       String host, String ip, int attempt, String step, Optional<SmtpReply> reply, String text) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("queue_id", id.value());
        fields.put("recipient", recipient.toString());
        fields.put("domain", domain.name());
        fields.put("mode", mode);
        fields.put("host", host);
        fields.put("ip", ip);
        fields.put("attempt", attempt);
        fields.put("step", step);
        fields.put("code", reply.map(SmtpReply::code).orElse(null));
        // A locally decided outcome (null MX, NXDOMAIN) has no reply but starts its text with its status.
        fields.put("enhanced", reply.flatMap(SmtpReply::enhanced).or(() -> EnhancedStatus.find(text))
                .map(Object::toString).orElse(""));
        fields.put("reply", text);
        log.write(new Event(time, event, fields));
    }
}
