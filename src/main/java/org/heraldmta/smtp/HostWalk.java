package org.heraldmta.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.SmtpReply;

/**
 * One pass over server addresses in order, until one takes the transaction; remembers why the others could not be
 * used, and turns that into outcomes when none did. Used by one attempt.
 */
final class HostWalk {

    /** An attempt's outcomes and what they say about the destination. */
    record Result(List<RecipientOutcome> outcomes, DestinationFeedback feedback) {
    }

    private final DeliveryRequest request;
    private final AttemptLog log;
    private final ClientContext context;
    private final int maxAddresses;
    private final List<HostResult.Failed> failures = new ArrayList<>();
    private int tried;

    HostWalk(DeliveryRequest request, AttemptLog log, ClientContext context, int maxAddresses) {
        this.request = request;
        this.log = log;
        this.context = context;
        this.maxAddresses = maxAddresses;
    }

    boolean exhausted() {
        return tried >= maxAddresses;
    }

    boolean triedAny() {
        return tried > 0;
    }

    /** Tries {@code target}; the attempt's result when it took the transaction. */
    Optional<Result> attempt(Target target) {
        if (exhausted()) {
            log.info("not trying " + target.describe() + ": " + maxAddresses + " addresses tried in this attempt");
            return Optional.empty();
        }
        tried++;
        HostResult result = new HostSession(target, request, log, context).run();
        if (result instanceof HostResult.Failed failed && failed.retryWithoutTls()) {
            log.info("trying " + target.describe() + " again without TLS, on a new connection");
            result = new HostSession(target.withTls(TlsPolicy.NONE), request, log, context).run();
        }
        return switch (result) {
            case HostResult.Took took -> Optional.of(new Result(took.outcomes(), feedback(took.outcomes())));
            case HostResult.Failed failed -> {
                failures.add(failed);
                log.error(failed.target().describe() + " not used: " + failed.detail());
                yield Optional.empty();
            }
        };
    }

    private DestinationFeedback feedback(List<RecipientOutcome> outcomes) {
        Optional<SmtpReply> slowDown = failures.stream().flatMap(f -> f.reply().stream())
                .filter(ReplyClassifier::asksToSlowDown).findFirst();
        if (slowDown.isEmpty()) {
            slowDown = outcomes.stream().flatMap(o -> o.reply().stream())
                    .filter(ReplyClassifier::asksToSlowDown).findFirst();
        }
        return slowDown.<DestinationFeedback>map(r -> new DestinationFeedback.Throttled(r.toString()))
                .orElseGet(DestinationFeedback.Ok::new);
    }

    /**
     * No server took the transaction. When one refused us with a 5xx to the greeting, EHLO or MAIL, every
     * recipient bounces with blamesSender (so the planner can switch to relay mode); otherwise every recipient is
     * deferred with the last server's reason.
     */
    Result giveUp() {
        Optional<HostResult.Failed> refusal = failures.stream().filter(HostResult.Failed::refusesSender).findFirst();
        HostResult.Failed chosen = refusal.orElse(failures.get(failures.size() - 1));
        List<RecipientOutcome> outcomes = new ArrayList<>();
        for (Address recipient : request.recipients()) {
            Target t = chosen.target();
            outcomes.add(refusal.isPresent()
                    ? new RecipientOutcome.Bounced(recipient, chosen.step(), t.host(), t.ipText(), chosen.reply(),
                            chosen.detail(), true)
                    : new RecipientOutcome.Deferred(recipient, chosen.step(), t.host(), t.ipText(), chosen.reply(),
                            chosen.detail()));
        }
        Optional<SmtpReply> slowDown = failures.stream().flatMap(f -> f.reply().stream())
                .filter(ReplyClassifier::asksToSlowDown).findFirst();
        DestinationFeedback feedback = slowDown.isPresent()
                ? new DestinationFeedback.Throttled(slowDown.get().toString())
                : new DestinationFeedback.HostRefusedUs(summary());
        return new Result(outcomes, feedback);
    }

    private String summary() {
        return "no server took the message: " + failures.stream()
                .map(f -> f.target().describe() + " " + f.detail())
                .collect(Collectors.joining("; "));
    }
}
