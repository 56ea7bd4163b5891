package org.heraldmta.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.heraldmta.config.DnsSettings;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.mail.Domain;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link MxResolver} over dnsjava: sends its own queries (never dnsjava's {@code Lookup}, whose search path and
 * static cache are not wanted) to the configured servers, and caches answers itself for their TTL on the injected
 * clock. Temporary failures are not cached. Thread safe.
 *
 * <p>Hostile answers are bounded: at most {@value #MAX_HOSTS} MX hosts and {@value #MAX_ADDRESSES} addresses per
 * host are used, CNAME chains are followed at most {@value #MAX_CNAME_CHAIN} links, and a malformed response is a
 * temporary failure.
 */
public final class DnsJavaResolver implements MxResolver {

    static final int MAX_HOSTS = 16;
    static final int MAX_ADDRESSES = 16;
    static final int MAX_CNAME_CHAIN = 8;
    static final Duration MAX_TTL = Duration.ofDays(1);
    static final Duration MAX_NEGATIVE_TTL = Duration.ofHours(3);
    static final Duration NEGATIVE_TTL_WITHOUT_SOA = Duration.ofMinutes(1);

    /** What one query found, after following CNAMEs. */
    private sealed interface RecordSet {
        record Found(List<Record> records) implements RecordSet {
        }

        record NoData() implements RecordSet {
        }

        record NxDomain() implements RecordSet {
        }

        record Failed(String reason) implements RecordSet {
        }
    }

    private record CacheKey(String name, int type) {
    }

    private final Resolver resolver;
    private final Duration waitLimit;
    private final RandomGenerator random;
    private final TtlCache<CacheKey, RecordSet> cache;

    /**
     * Asks the servers of {@code settings} (the system's resolvers, from dnsjava's ResolverConfig, when the list is
     * empty), each with the configured time-out.
     */
    public DnsJavaResolver(DnsSettings settings, InstantSource clock, RandomGenerator random) {
        this(resolverFor(settings), settings.timeout().multipliedBy(Math.max(1, settings.servers().size()) * 2L),
                clock, random);
    }

    /**
     * Asks {@code resolver}; {@code waitLimit} bounds how long one query may take in all (the resolver's own
     * time-outs and retries should fit in it).
     */
    public DnsJavaResolver(Resolver resolver, Duration waitLimit, InstantSource clock, RandomGenerator random) {
        this.resolver = resolver;
        this.waitLimit = waitLimit;
        this.random = random;
        this.cache = new TtlCache<>(clock, 10_000);
    }

    private static Resolver resolverFor(DnsSettings settings) {
        ExtendedResolver extended;
        if (settings.servers().isEmpty()) {
            extended = new ExtendedResolver();
        } else {
            List<Resolver> simple = new ArrayList<>();
            for (ListenAddress server : settings.servers()) {
                simple.add(new SimpleResolver(server.socketAddress()));
            }
            extended = new ExtendedResolver(simple);
        }
        for (Resolver each : extended.getResolvers()) {
            each.setTimeout(settings.timeout());
        }
        extended.setRetries(2);
        extended.setTimeout(settings.timeout().multipliedBy(Math.max(1, extended.getResolvers().length) * 2L));
        return extended;
    }

    @Override
    public MxAnswer lookupMx(Domain domain) {
        if (domain.isAddressLiteral()) {
            return new MxAnswer.NoSuchDomain(domain);
        }
        RecordSet set = query(domain.name(), Type.MX);
        return switch (set) {
            case RecordSet.NxDomain n -> new MxAnswer.NoSuchDomain(domain);
            case RecordSet.NoData n -> new MxAnswer.ImplicitMx(domain);
            case RecordSet.Failed f -> new MxAnswer.TemporaryFailure(domain, f.reason());
            case RecordSet.Found found -> mxHosts(domain, found.records());
        };
    }

    private MxAnswer mxHosts(Domain domain, List<Record> records) {
        Map<String, Integer> bestPreference = new LinkedHashMap<>();
        boolean sawNullMx = false;
        for (Record record : records) {
            MXRecord mx = (MXRecord) record;
            if (mx.getTarget().equals(Name.root)) {
                sawNullMx = true;
                continue;
            }
            bestPreference.merge(hostName(mx.getTarget()), mx.getPriority(), Math::min);
        }
        if (bestPreference.isEmpty()) {
            // Only "MX 0 ." (RFC 7505). A null MX beside real ones breaks the RFC's MUST NOT; the real ones win.
            return sawNullMx ? new MxAnswer.NullMx(domain) : new MxAnswer.ImplicitMx(domain);
        }
        List<MxHost> hosts = new ArrayList<>();
        bestPreference.forEach((name, preference) -> hosts.add(new MxHost(name, preference)));
        shuffle(hosts);
        hosts.sort(Comparator.comparingInt(MxHost::preference)); // stable: keeps the shuffle within a preference
        return new MxAnswer.MxHosts(domain, hosts.subList(0, Math.min(hosts.size(), MAX_HOSTS)));
    }

    private void shuffle(List<MxHost> hosts) {
        synchronized (random) {
            for (int i = hosts.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                hosts.set(i, hosts.set(j, hosts.get(i)));
            }
        }
    }

    @Override
    public AddressAnswer lookupAddresses(String hostname) {
        String host = hostname.endsWith(".") ? hostname.substring(0, hostname.length() - 1) : hostname;
        host = host.toLowerCase(Locale.ROOT);
        if (IpLiterals.isLiteral(host)) {
            return new AddressAnswer.Addresses(host, List.of(IpLiterals.parse(host)));
        }
        RecordSet v4 = query(host, Type.A);
        RecordSet v6 = query(host, Type.AAAA);
        List<InetAddress> addresses = new ArrayList<>();
        collectAddresses(v4, addresses);
        collectAddresses(v6, addresses);
        if (!addresses.isEmpty()) {
            return new AddressAnswer.Addresses(host, addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES)));
        }
        if (v4 instanceof RecordSet.Failed failed) {
            return new AddressAnswer.TemporaryFailure(host, failed.reason());
        }
        if (v6 instanceof RecordSet.Failed failed) {
            return new AddressAnswer.TemporaryFailure(host, failed.reason());
        }
        return new AddressAnswer.NoSuchHost(host);
    }

    private static void collectAddresses(RecordSet set, List<InetAddress> into) {
        if (set instanceof RecordSet.Found found) {
            for (Record record : found.records()) {
                byte[] bytes = record.rdataToWireCanonical(); // 4 bytes for A, 16 for AAAA: no name lookup
                try {
                    InetAddress address = InetAddress.getByAddress(bytes);
                    if (!into.contains(address)) {
                        into.add(address);
                    }
                } catch (UnknownHostException malformed) {
                    // an A record of the wrong length: ignore it, the others may do
                }
            }
        }
    }

    private RecordSet query(String name, int type) {
        CacheKey key = new CacheKey(name.toLowerCase(Locale.ROOT), type);
        Optional<RecordSet> cached = cache.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Name qname;
        try {
            qname = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            return new RecordSet.NxDomain();
        }
        Message response;
        try {
            response = resolver.sendAsync(Message.newQuery(Record.newRecord(qname, type, DClass.IN)))
                    .toCompletableFuture().get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new RecordSet.Failed("timed out after " + waitLimit.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new RecordSet.Failed(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RecordSet.Failed("interrupted");
        } catch (RuntimeException e) {
            return new RecordSet.Failed(describe(e));
        }
        RecordSet set = interpret(qname, type, response);
        switch (set) {
            case RecordSet.Found found -> cache.put(key, set, positiveTtl(found.records()));
            case RecordSet.NoData n -> cache.put(key, set, negativeTtl(response));
            case RecordSet.NxDomain n -> cache.put(key, set, negativeTtl(response));
            case RecordSet.Failed f -> {
                // never cached: the next attempt asks again
            }
        }
        return set;
    }

    private static RecordSet interpret(Name qname, int type, Message response) {
        Record question = response.getQuestion();
        if (question == null || !question.getName().equals(qname) || question.getType() != type) {
            return new RecordSet.Failed("the DNS answer does not match the question");
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new RecordSet.NxDomain();
        }
        if (rcode != Rcode.NOERROR) {
            return new RecordSet.Failed("DNS server answered " + Rcode.string(rcode));
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        Name current = qname;
        for (int link = 0; link <= MAX_CNAME_CHAIN; link++) {
            List<Record> matching = new ArrayList<>();
            Name alias = null;
            for (Record record : answer) {
                if (!record.getName().equals(current) || record.getDClass() != DClass.IN) {
                    continue;
                }
                if (record.getType() == type) {
                    matching.add(record);
                } else if (record.getType() == Type.CNAME) {
                    alias = ((CNAMERecord) record).getTarget();
                }
            }
            if (!matching.isEmpty()) {
                return new RecordSet.Found(List.copyOf(matching));
            }
            if (alias == null) {
                return new RecordSet.NoData();
            }
            current = alias;
        }
        return new RecordSet.Failed("CNAME chain longer than " + MAX_CNAME_CHAIN + " links");
    }

    private static Duration positiveTtl(List<Record> records) {
        long seconds = records.stream().mapToLong(Record::getTTL).min().orElse(0);
        return min(Duration.ofSeconds(seconds), MAX_TTL);
    }

    /** RFC 2308 §5: a negative answer lives for the smaller of the SOA's TTL and its MINIMUM field. */
    private static Duration negativeTtl(Message response) {
        for (Record record : response.getSection(Section.AUTHORITY)) {
            if (record instanceof SOARecord soa) {
                return min(Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum())), MAX_NEGATIVE_TTL);
            }
        }
        return NEGATIVE_TTL_WITHOUT_SOA;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String hostName(Name name) {
        String text = name.toString(true);
        return text.toLowerCase(Locale.ROOT);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof SocketTimeoutException || failure instanceof TimeoutException) {
            return "timed out";
        }
        if (failure instanceof java.net.PortUnreachableException) {
            return "no DNS server listening (port unreachable)";
        }
        if (failure instanceof IOException) {
            return "no usable answer: " + (failure.getMessage() == null ? failure.getClass().getSimpleName()
                    : failure.getMessage());
        }
        return failure == null ? "unknown failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
