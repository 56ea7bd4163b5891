package org.heraldmta.app;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.heraldmta.dns.MxAnswer;
import org.heraldmta.dns.MxHost;
import org.heraldmta.dns.MxResolver;
import org.heraldmta.mail.Domain;
import org.heraldmta.qmgr.MxHostNames;

/**
 * The queue manager's MX host names over Herald's resolver (whose TTL cache keeps repeated questions cheap), each
 * look-up on its own virtual thread. A temporary DNS failure completes exceptionally; no MX means the domain itself.
 */
final class ResolverMxHostNames implements MxHostNames {

    private final MxResolver resolver;

    ResolverMxHostNames(MxResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public CompletionStage<List<String>> lookup(Domain domain) {
        CompletableFuture<List<String>> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("mx-hosts-" + domain).start(() -> {
            try {
                answer.complete(switch (resolver.lookupMx(domain)) {
                    case MxAnswer.MxHosts found -> found.hosts().stream().map(MxHost::name).toList();
                    case MxAnswer.ImplicitMx implicit -> List.of(implicit.host().name());
                    case MxAnswer.NullMx n -> List.of();
                    case MxAnswer.NoSuchDomain n -> List.of();
                    case MxAnswer.TemporaryFailure failure -> throw new IllegalStateException(failure.reason());
                });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }
}
