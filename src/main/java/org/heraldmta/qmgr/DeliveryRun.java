package org.heraldmta.qmgr;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.heraldmta.bounce.DsnAction;
import org.heraldmta.bounce.FailedRecipient;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.EnhancedStatus;
import org.heraldmta.mail.QueueId;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.qmgr.DeliveryPlanner.Decision;
import org.heraldmta.smtp.ConnectionOptions;
import org.heraldmta.smtp.DeliveryAgent;
import org.heraldmta.smtp.DeliveryMode;
import org.heraldmta.smtp.DeliveryReport;
import org.heraldmta.smtp.DeliveryRequest;
import org.heraldmta.smtp.DestinationFeedback;
import org.heraldmta.smtp.RecipientOutcome;
import org.heraldmta.smtp.Route;
import org.heraldmta.smtp.Step;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.Spool;
import org.heraldmta.spool.SpoolException;
import org.heraldmta.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery of one work item, on its own virtual thread: read the message's pending recipients of the domain
 * from the spool, settle those that need no attempt (expired, no route, bounced by an operator), make one attempt
 * through the delivery agent for the rest, and write every recipient's new state to the spool (queuing a bounce
 * first when some failed for good) before the next attempt can start. The spool is read and written under the
 * message's lock, never during the attempt itself.
 */
final class DeliveryRun {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRun.class);
    private static final EnhancedStatus UNDEFINED_PERMANENT = new EnhancedStatus(5, 0, 0);
    private static final EnhancedStatus UNDEFINED_TEMPORARY = new EnhancedStatus(4, 0, 0);
    private static final EnhancedStatus DELIVERY_TIME_EXPIRED = new EnhancedStatus(4, 4, 7);
    private static final EnhancedStatus UNABLE_TO_ROUTE = new EnhancedStatus(5, 4, 4);

    /** What became of the work item, and the notifications committed meanwhile (the caller enqueues them). */
    record Result(Completion completion, List<SpooledMessage> notifications, Optional<String> throttleReply,
                  java.time.Duration throttlePause) {
        Result(Completion completion, List<SpooledMessage> notifications) {
            this(completion, notifications, Optional.empty(), java.time.Duration.ZERO);
        }
    }

    /** One recipient's decision and what it is based on: an attempt's outcome, or a reason without attempt. */
    private record Settlement(Decision decision, Optional<RecipientOutcome> outcome, EnhancedStatus statusIfNoReply,
                              String note) {
    }

    private final Spool spool;
    private final DeliveryAgent agent;
    private final Supplier<QueueSettings> settings;
    private final DeliveryEvents events;
    private final AttemptLog attempts;
    private final InstantSource clock;
    private final StripedLocks locks;
    private final BounceQueuer bounces;

    DeliveryRun(Spool spool, DeliveryAgent agent, Supplier<QueueSettings> settings, DeliveryEvents events,
                AttemptLog attempts, InstantSource clock, StripedLocks locks) {
        this.spool = spool;
        this.agent = agent;
        this.settings = settings;
        this.events = events;
        this.attempts = attempts;
        this.clock = clock;
        this.locks = locks;
        this.bounces = new BounceQueuer(spool, clock);
    }

    /**
     * @param destination the destination the delivery was started for; an MX rule's destination gives the domain
     *                    that rule's settings
     */
    Result run(QueueId id, Domain domain, int attempt, BooleanSupplier bounceRequested, Destination destination) {
        QueueSettings current = settings.get();
        DomainSettings limits = current.rules().forDomain(domain, destination.mxRule());
        boolean haveRelays = !current.relays().isEmpty();
        List<SpooledMessage> notifications = new ArrayList<>();
        ReentrantLock lock = locks.of(id);

        SpooledMessage message;
        DeliveryMode mode = null;
        List<Integer> batch = new ArrayList<>();
        Instant expiresAt;
        lock.lock();
        try {
            Optional<SpooledMessage> found = spool.find(id);
            if (found.isEmpty()) {
                return new Result(new Completion.Done(), notifications);
            }
            message = found.get();
            Instant now = clock.instant();
            expiresAt = message.envelope().received().plus(limits.maxAge());
            List<Integer> pending = pendingOf(message, domain);
            if (pending.isEmpty()) {
                return new Result(new Completion.Done(), notifications);
            }
            Map<Integer, Settlement> settled = new LinkedHashMap<>();
            for (int index : pending) {
                RecipientStatus status = message.recipients().get(index);
                if (bounceRequested.getAsBoolean()) {
                    settled.put(index, byOperator(status));
                } else if (!now.isBefore(expiresAt)) {
                    settled.put(index, new Settlement(DeliveryPlanner.expire(status), Optional.empty(),
                            DELIVERY_TIME_EXPIRED, status.lastReply().isBlank()
                            ? "message older than max_age (" + limits.maxAge() + ")" : ""));
                } else {
                    Optional<DeliveryMode> next = DeliveryPlanner.nextMode(limits, haveRelays, status);
                    if (next.isEmpty()) {
                        String why = "no route: direct_attempts is " + limits.directAttempts()
                                + " and " + (haveRelays ? "relay_attempts is " + limits.relayAttempts()
                                : "no relay is configured");
                        settled.put(index, new Settlement(DeliveryPlanner.bounceWithoutAttempt(status, why),
                                Optional.empty(), UNABLE_TO_ROUTE, why));
                    } else if (mode == null || mode == next.get()) {
                        // Recipients in the other mode (rare: after a per-recipient switch) go in the next delivery.
                        mode = next.get();
                        batch.add(index);
                    }
                }
            }
            if (!settled.isEmpty()) {
                message = settle(message, settled, null, attempt, current, limits, notifications);
            }
        } catch (SpoolException e) {
            return spoolFailed(id, e, limits, notifications);
        } finally {
            lock.unlock();
        }
        if (batch.isEmpty()) {
            return new Result(completionFor(message, domain), notifications);
        }

        Route route = mode == DeliveryMode.DIRECT ? new Route.Direct(domain, limits.port(), limits.tls())
                : new Route.Relay(current.relays());
        ConnectionOptions connection = new ConnectionOptions(destination.name(), limits.sourceAddress(),
                limits.maxMessagesPerConnection(), limits.maxConnectionRate());
        DeliveryRequest request = request(message, attempt, route, batch,
                limits.heloName().orElse(current.hostname()), connection);
        DeliveryReport report = deliverSafely(request);

        lock.lock();
        try {
            Optional<SpooledMessage> found = spool.find(id);
            if (found.isEmpty()) {
                // Deleted by an operator while the attempt ran: nothing to record but the transcript.
                attempts.record(id, attempt, request, report);
                return new Result(new Completion.Done(), notifications);
            }
            message = found.get();
            Instant now = clock.instant();
            Map<Integer, Settlement> settled = new LinkedHashMap<>();
            for (int index : batch) {
                RecipientStatus before = message.recipients().get(index);
                if (before.state().isFinal()) {
                    continue;
                }
                RecipientOutcome outcome = outcomeFor(report, before.recipient());
                Decision decision = DeliveryPlanner.afterAttempt(limits, haveRelays, before, mode, outcome, now,
                        expiresAt);
                EnhancedStatus fallback = outcome instanceof RecipientOutcome.Bounced
                        ? UNDEFINED_PERMANENT : UNDEFINED_TEMPORARY;
                settled.put(index, new Settlement(decision, Optional.of(outcome), fallback, ""));
            }
            message = settle(message, settled, mode, attempt, current, limits, notifications);
            if (bounceRequested.getAsBoolean()) {
                Map<Integer, Settlement> cancelled = new LinkedHashMap<>();
                for (int index : pendingOf(message, domain)) {
                    cancelled.put(index, byOperator(message.recipients().get(index)));
                }
                if (!cancelled.isEmpty()) {
                    message = settle(message, cancelled, null, attempt, current, limits, notifications);
                }
            }
        } catch (SpoolException e) {
            attempts.record(id, attempt, request, report);
            return spoolFailed(id, e, limits, notifications);
        } finally {
            lock.unlock();
        }
        attempts.record(id, attempt, request, report);
        return new Result(completionFor(message, domain), notifications,
                ThrottleReplies.firstMatch(limits.throttleReplies(), repliesOf(report)), limits.throttlePause());
    }

    /** Every failure reply and reason the attempt brought back, for matching against throttle_replies. */
    private static List<String> repliesOf(DeliveryReport report) {
        List<String> replies = new ArrayList<>();
        for (RecipientOutcome outcome : report.outcomes()) {
            if (outcome instanceof RecipientOutcome.Delivered) {
                continue;
            }
            outcome.reply().ifPresent(r -> replies.add(r.toString()));
            if (!outcome.detail().isBlank()) {
                replies.add(outcome.detail());
            }
        }
        switch (report.feedback()) {
            case DestinationFeedback.Throttled t -> replies.add(t.reason());
            case DestinationFeedback.HostRefusedUs r -> replies.add(r.reason());
            case DestinationFeedback.Ok ok -> {
            }
        }
        return replies;
    }

    /**
     * Bounces, by an operator's order, the pending recipients of {@code domains} (work no delivery holds: the
     * caller took it out of the schedule).
     */
    Result bounceByOperator(QueueId id, Collection<Domain> domains, int attempt) {
        QueueSettings current = settings.get();
        List<SpooledMessage> notifications = new ArrayList<>();
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            Optional<SpooledMessage> found = spool.find(id);
            if (found.isEmpty() || domains.isEmpty()) {
                return new Result(new Completion.Done(), notifications);
            }
            SpooledMessage message = found.get();
            Map<Integer, Settlement> settled = new LinkedHashMap<>();
            for (int i = 0; i < message.recipients().size(); i++) {
                RecipientStatus status = message.recipients().get(i);
                if (status.state() == RecipientState.PENDING && domains.contains(status.recipient().domain())) {
                    settled.put(i, byOperator(status));
                }
            }
            if (!settled.isEmpty()) {
                settle(message, settled, null, attempt, current, current.rules().defaults(), notifications);
            }
        } catch (SpoolException e) {
            LOG.error("{}: could not record the operator's bounce: {}", id, e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        return new Result(new Completion.Done(), notifications);
    }

    private static Settlement byOperator(RecipientStatus status) {
        String why = "bounced by operator";
        return new Settlement(DeliveryPlanner.bounceWithoutAttempt(status, why), Optional.empty(),
                UNDEFINED_PERMANENT, why);
    }

    /**
     * Applies decisions: queues a notification for recipients that failed for good (first, so that a crash can at
     * worst repeat a notification, never lose one), writes the new states to the spool (or removes the message
     * when every recipient is final), then logs one event per recipient.
     */
    private SpooledMessage settle(SpooledMessage message, Map<Integer, Settlement> settled,
                                  DeliveryMode mode, int attempt, QueueSettings current, DomainSettings limits,
                                  List<SpooledMessage> notifications) throws SpoolException {
        Instant now = clock.instant();
        List<RecipientStatus> statuses = new ArrayList<>(message.recipients());
        settled.forEach((index, s) -> statuses.set(index, s.decision().status()));

        List<Integer> failedForGood = settled.entrySet().stream()
                .filter(e -> e.getValue().decision() instanceof Decision.Bounce
                        || e.getValue().decision() instanceof Decision.Expired)
                .map(Map.Entry::getKey).toList();
        Address sender = message.envelope().sender();
        if (!failedForGood.isEmpty() && !sender.isNullSender()) {
            List<FailedRecipient> failed = failedForGood.stream()
                    .map(index -> failedRecipient(settled.get(index), now)).toList();
            try {
                SpooledMessage notification = bounces.queue(message, failed, current.hostname());
                notifications.add(notification);
                events.bounceQueued(now, notification.id(), message.id(), sender);
            } catch (SpoolException e) {
                // Without its notification a failure must not become final: keep the recipients and try later.
                LOG.error("{}: could not queue a bounce ({}); its recipients wait and are tried again",
                        message.id(), e.getMessage());
                Instant later = now.plus(limits.delayAfter(1));
                for (int index : failedForGood) {
                    RecipientStatus s = settled.get(index).decision().status();
                    RecipientStatus kept = new RecipientStatus(s.recipient(), RecipientState.PENDING,
                            s.directAttempts(), s.relayAttempts(), later, s.lastStep(), s.lastReply());
                    statuses.set(index, kept);
                    settled.put(index, new Settlement(new Decision.Retry(kept, false),
                            settled.get(index).outcome(), settled.get(index).statusIfNoReply(), ""));
                }
            }
        }

        SpooledMessage updated;
        if (statuses.stream().allMatch(s -> s.state().isFinal())) {
            spool.remove(message.id());
            updated = new SpooledMessage(message.id(), message.envelope(), message.size(), statuses,
                    message.held());
        } else {
            updated = spool.update(message.id(), statuses, message.held());
        }

        settled.forEach((index, s) -> {
            Decision decision = s.decision();
            Domain domain = decision.status().recipient().domain();
            if (s.outcome().isPresent() && mode != null) {
                events.afterAttempt(now, decision.event(), message.id(), domain, mode, s.outcome().get(), attempt);
            } else {
                events.withoutAttempt(now, decision.event(), message.id(), domain, decision.status(), attempt,
                        s.note());
            }
        });
        return updated;
    }

    private static FailedRecipient failedRecipient(Settlement s, Instant now) {
        RecipientStatus status = s.decision().status();
        if (s.outcome().isPresent()) {
            RecipientOutcome outcome = s.outcome().get();
            return new FailedRecipient(status.recipient(), DsnAction.FAILED,
                    outcome.status().orElse(FailedRecipient.statusOf(outcome.reply(), s.statusIfNoReply())),
                    outcome.host(), outcome.reply(),
                    DeliveryPlanner.describe(outcome), outcome.step().label(), Optional.of(now));
        }
        Optional<SmtpReply> lastReply = ReplyText.parse(status.lastReply());
        boolean byOperatorOrRoute = !s.note().isBlank() && !(s.decision() instanceof Decision.Expired);
        EnhancedStatus code = byOperatorOrRoute ? s.statusIfNoReply()
                : FailedRecipient.statusOf(lastReply, s.statusIfNoReply());
        String detail = s.note().isBlank() ? status.lastReply() : s.note();
        if (s.decision() instanceof Decision.Expired) {
            detail = "delivery time expired" + (status.lastReply().isBlank() ? "" : "; last reply: "
                    + status.lastReply());
        }
        return new FailedRecipient(status.recipient(), DsnAction.FAILED, code, "",
                byOperatorOrRoute ? Optional.empty() : lastReply, detail, status.lastStep(), Optional.empty());
    }

    private Result spoolFailed(QueueId id, SpoolException e, DomainSettings limits,
                               List<SpooledMessage> notifications) {
        // The attempt's result is not on disk; trying again later is the only safe course.
        LOG.error("{}: could not write its state to the spool: {}", id, e.getMessage(), e);
        long later = clock.millis() + limits.delayAfter(1).toMillis();
        return new Result(new Completion.Pending(later, "could not write the spool: " + e.getMessage()),
                notifications);
    }

    private static List<Integer> pendingOf(SpooledMessage message, Domain domain) {
        List<Integer> pending = new ArrayList<>();
        List<RecipientStatus> recipients = message.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            RecipientStatus r = recipients.get(i);
            if (r.state() == RecipientState.PENDING && domain.equals(r.recipient().domain())) {
                pending.add(i);
            }
        }
        return pending;
    }

    /** The item's next due time: the earliest not-before of the domain's pending recipients, or done. */
    private Completion completionFor(SpooledMessage message, Domain domain) {
        List<Integer> pending = pendingOf(message, domain);
        if (pending.isEmpty()) {
            return new Completion.Done();
        }
        RecipientStatus first = message.recipients().get(pending.get(0));
        long due = pending.stream().mapToLong(i -> message.recipients().get(i).notBefore().toEpochMilli()).min()
                .orElseThrow();
        return new Completion.Pending(due, first.lastReply());
    }

    private DeliveryRequest request(SpooledMessage message, int attempt, Route route, List<Integer> batch,
                                    String heloName, ConnectionOptions connection) {
        List<Address> recipients = batch.stream().map(i -> message.recipients().get(i).recipient()).toList();
        QueueId id = message.id();
        boolean needsSmtpUtf8 = message.envelope().smtpUtf8() || message.envelope().sender().needsSmtpUtf8()
                || recipients.stream().anyMatch(Address::needsSmtpUtf8);
        return new DeliveryRequest(id, attempt, route, message.envelope().sender(), recipients,
                () -> spool.openContent(id), message.size(), needsSmtpUtf8, message.envelope().eightBitMime(),
                heloName, connection);
    }

    /** The agent must not throw; if it does anyway, every recipient is deferred rather than lost. */
    private DeliveryReport deliverSafely(DeliveryRequest request) {
        Instant started = clock.instant();
        try {
            DeliveryReport report = agent.deliver(request);
            if (report == null) {
                throw new IllegalStateException("the delivery agent returned no report");
            }
            return report;
        } catch (RuntimeException e) {
            LOG.error("{}: delivery agent failed", request.id(), e);
            String detail = "delivery agent failed: " + e;
            List<RecipientOutcome> outcomes = request.recipients().stream()
                    .<RecipientOutcome>map(r -> new RecipientOutcome.Deferred(r, Step.CONNECT, "", "",
                            Optional.empty(), detail)).toList();
            return new DeliveryReport(started, clock.instant(), outcomes, List.of(),
                    new DestinationFeedback.Ok());
        }
    }

    /** The outcome for a recipient; one the agent forgot to report is deferred, never dropped. */
    private static RecipientOutcome outcomeFor(DeliveryReport report, Address recipient) {
        for (RecipientOutcome outcome : report.outcomes()) {
            if (outcome.recipient().equals(recipient)) {
                return outcome;
            }
        }
        Step step = report.outcomes().isEmpty() ? Step.CONNECT : report.outcomes().get(0).step();
        return new RecipientOutcome.Deferred(recipient, step, "", "", Optional.empty(),
                "no result for this recipient from the delivery agent");
    }
}
