package org.heraldmta.testkit;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.heraldmta.dns.AddressAnswer;
import org.heraldmta.dns.DnsJavaResolver;
import org.heraldmta.dns.MxAnswer;
import org.heraldmta.dns.MxResolver;
import org.heraldmta.mail.Domain;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * An {@link MxResolver} answering from zone text, as KumoMTA's TestResolver: {@code FakeDns.fromZone("""
 * example.test. MX 10 mx1.example.test.
 * mx1.example.test. A 127.0.0.2""")}. It runs the real {@link DnsJavaResolver} over an in-memory server, so MX
 * ordering, null MX, implicit MX and NXDOMAIN behave as in production. Names can be made to SERVFAIL or time out.
 * Every change starts with an empty cache. Thread safe.
 */
public final class FakeDns implements MxResolver {

    /** Answers fixed on the epoch so cached answers never expire during a test; changes reset the cache anyway. */
    private static final InstantSource FROZEN = java.time.Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    private final FakeZone zone;
    private final Set<String> servfail = ConcurrentHashMap.newKeySet();
    private final Set<String> timeout = ConcurrentHashMap.newKeySet();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final RandomGenerator random;
    private volatile DnsJavaResolver delegate;

    private FakeDns(FakeZone zone, RandomGenerator random) {
        this.zone = zone;
        this.random = random;
        reset();
    }

    public static FakeDns fromZone(String zoneText) {
        return new FakeDns(FakeZone.parse(zoneText), new java.util.Random(42));
    }

    public static FakeDns fromZone(String zoneText, RandomGenerator random) {
        return new FakeDns(FakeZone.parse(zoneText), random);
    }

    /** Queries for {@code name} (any type) get SERVFAIL from now on. */
    public FakeDns servfail(String name) {
        servfail.add(key(name));
        reset();
        return this;
    }

    /** Queries for {@code name} (any type) get no answer: the resolver times out, at once. */
    public FakeDns timeOut(String name) {
        timeout.add(key(name));
        reset();
        return this;
    }

    /** Undoes {@link #servfail} and {@link #timeOut} for {@code name}. */
    public FakeDns heal(String name) {
        servfail.remove(key(name));
        timeout.remove(key(name));
        reset();
        return this;
    }

    /** Every query asked so far, as {@code "MX example.test"}. */
    public List<String> queries() {
        return List.copyOf(queries);
    }

    @Override
    public MxAnswer lookupMx(Domain domain) {
        return delegate.lookupMx(domain);
    }

    @Override
    public AddressAnswer lookupAddresses(String hostname) {
        return delegate.lookupAddresses(hostname);
    }

    private void reset() {
        delegate = new DnsJavaResolver(new InMemoryServer(), Duration.ofSeconds(5), FROZEN, random);
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    /** A dnsjava Resolver that never touches the network. */
    private final class InMemoryServer implements Resolver {
        @Override
        public CompletionStage<Message> sendAsync(Message query) {
            Name name = query.getQuestion().getName();
            queries.add(Type.string(query.getQuestion().getType()) + " " + name.toString(true));
            String key = key(name.toString());
            if (timeout.contains(key)) {
                return CompletableFuture.failedFuture(new SocketTimeoutException("Query timed out"));
            }
            if (servfail.contains(key)) {
                Message failed = zone.answer(query);
                failed.removeAllRecords(org.xbill.DNS.Section.ANSWER);
                failed.getHeader().setRcode(Rcode.SERVFAIL);
                return CompletableFuture.completedFuture(failed);
            }
            return CompletableFuture.completedFuture(zone.answer(query));
        }

        @Override
        public void setPort(int port) {
        }

        @Override
        public void setTCP(boolean flag) {
        }

        @Override
        public void setIgnoreTruncation(boolean flag) {
        }

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        }

        @Override
        public void setTSIGKey(TSIG key) {
        }

        @Override
        public void setTimeout(Duration timeout) {
        }
    }
}
