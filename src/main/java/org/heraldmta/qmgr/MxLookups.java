package org.heraldmta.qmgr;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.heraldmta.mail.Domain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks {@link MxHostNames} on the router's behalf, with a time limit, and hands every answer, or its failure as
 * empty, to a callback on a virtual thread of its own: never inline, since the router asks under the queue
 * manager's lock and the callback takes that lock. Thread safe.
 */
final class MxLookups implements DestinationRouter.Asker {

    private static final Logger LOG = LoggerFactory.getLogger(MxLookups.class);

    @FunctionalInterface
    interface Answered {
        /** {@code hosts} is empty when the look-up failed or took longer than the limit. */
        void answered(Domain domain, Optional<List<String>> hosts);
    }

    private final MxHostNames names;
    private final Duration limit;
    private final Answered answered;

    MxLookups(MxHostNames names, Duration limit, Answered answered) {
        this.names = names;
        this.limit = limit;
        this.answered = answered;
    }

    @Override
    public void ask(Domain domain) {
        CompletableFuture<List<String>> answer;
        try {
            answer = names.lookup(domain).toCompletableFuture().copy();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((hosts, error) -> {
            if (error != null) {
                LOG.info("MX hosts of {} unknown ({}): its mail goes as its own destination for now", domain,
                        error.toString());
            }
            answered.answered(domain, error == null ? Optional.of(List.copyOf(hosts)) : Optional.empty());
        }, task -> Thread.ofVirtual().name("qmgr-mx-" + domain).start(task));
    }
}
