package org.heraldmta.qmgr;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.heraldmta.mail.Domain;

/**
 * The MX host names of a recipient domain, for choosing its destination when {@code [mx.*]} rules exist. The queue
 * manager never touches DNS itself: the application supplies this over its resolver. Asked only while MX rules
 * exist, at most once per domain per refresh; the answer may come on any thread. A failed (or never completed)
 * look-up is not fatal: the domain's mail then goes as its own destination and the look-up is tried again later.
 */
@FunctionalInterface
public interface MxHostNames {

    /** The host names, lowest preference first (empty: none, e.g. null MX); completes exceptionally on failure. */
    CompletionStage<List<String>> lookup(Domain domain);

    /** No look-ups: every domain is its own destination. */
    static MxHostNames none() {
        return domain -> CompletableFuture.completedFuture(List.of());
    }
}
