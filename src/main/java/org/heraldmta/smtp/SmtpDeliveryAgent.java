package org.heraldmta.smtp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.net.ssl.SSLContext;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.config.RelayServer;
import org.heraldmta.dns.AddressAnswer;
import org.heraldmta.dns.MxAnswer;
import org.heraldmta.dns.MxHost;
import org.heraldmta.dns.MxResolver;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;

/**
 * The outbound SMTP client: one attempt of one message over one route. Direct: the domain's MX hosts in order
 * (implicit MX, null MX and NXDOMAIN handled), every IPv4 then IPv6 address of each, until one takes the
 * transaction; opportunistic STARTTLS. Relay: the relay servers in order, with their TLS mode (certificates
 * verified) and AUTH. Thread safe; blocking; never throws. Close it to end idle pooled connections.
 */
public final class SmtpDeliveryAgent implements DeliveryAgent, AutoCloseable {

    private final MxResolver resolver;
    private final SmtpClientSettings settings;
    private final InstantSource clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ConnectionPool pool;
    private final ClientContext context;

    /**
     * @param resolver   DNS for MX hosts, host addresses and relay names
     * @param settings   time-outs, connection reuse, address limit
     * @param relayTrust verifies relay certificates (STARTTLS and implicit TLS relays); production passes the JDK
     *                   default ({@link #SmtpDeliveryAgent(MxResolver, SmtpClientSettings, InstantSource)})
     * @param clock      timestamps of the transcript and the report
     */
    public SmtpDeliveryAgent(MxResolver resolver, SmtpClientSettings settings, SSLContext relayTrust,
                             InstantSource clock) {
        this.resolver = resolver;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("herald-smtp-timers").factory());
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.pool = new ConnectionPool(settings.keepIdleConnection(), scheduler);
        this.context = new ClientContext(settings.timeouts(), pool, new WriteWatchdog(scheduler), relayTrust,
                TlsContexts.acceptingAnyCertificate(), new ConnectionPacer(System::nanoTime));
    }

    /** Verifies relay certificates with the JDK's default trust store. */
    public SmtpDeliveryAgent(MxResolver resolver, SmtpClientSettings settings, InstantSource clock) {
        this(resolver, settings, TlsContexts.jdkDefault(), clock);
    }

    @Override
    public DeliveryReport deliver(DeliveryRequest request) {
        Instant started = clock.instant();
        AttemptLog log = new AttemptLog(clock);
        log.info("attempt " + request.attempt() + " of " + request.id() + ", " + request.route().mode().label()
                + ", " + request.recipients().size() + " recipient(s), " + request.size() + " bytes");
        HostWalk.Result result;
        try {
            result = switch (request.route()) {
                case Route.Direct direct -> direct(direct, request, log);
                case Route.Relay relay -> relay(relay, request, log);
            };
        } catch (RuntimeException e) {
            String detail = "4.3.0 internal error in the SMTP client: " + e;
            log.error(detail);
            result = new HostWalk.Result(all(request, r -> new RecipientOutcome.Deferred(r, Step.CONNECT, "", "",
                    Optional.empty(), detail)), new DestinationFeedback.Ok());
        }
        return new DeliveryReport(started, clock.instant(), result.outcomes(), log.lines(), result.feedback());
    }

    private HostWalk.Result direct(Route.Direct route, DeliveryRequest request, AttemptLog log) {
        Domain domain = route.domain();
        TlsPolicy tls = switch (route.tls()) {
            case OPPORTUNISTIC -> TlsPolicy.OPPORTUNISTIC;
            case REQUIRED -> TlsPolicy.REQUIRED;
            case OFF -> TlsPolicy.NONE;
        };
        HostWalk walk = new HostWalk(request, log, context, settings.maxAddressesPerAttempt());
        if (domain.isAddressLiteral()) {
            String literal = domain.name().substring(1, domain.name().length() - 1).replaceFirst("(?i)^IPv6:", "");
            log.info("address literal " + domain + ": no DNS");
            if (!IpLiterals.isLiteral(literal)) {
                return dnsEnd(request, true, "5.1.2 " + domain + " is not a valid address literal",
                        new DestinationFeedback.Ok());
            }
            Optional<HostWalk.Result> took = walk.attempt(new Target(domain.name(), IpLiterals.parse(literal),
                    route.port(), tls, Optional.empty()));
            return took.orElseGet(walk::giveUp);
        }
        MxAnswer mx = resolver.lookupMx(domain);
        log.info("DNS " + mx.describe());
        List<MxHost> hosts;
        switch (mx) {
            case MxAnswer.NullMx n -> {
                return dnsEnd(request, true, "5.1.10 " + domain + " accepts no mail (null MX, RFC 7505)",
                        new DestinationFeedback.Ok());
            }
            case MxAnswer.NoSuchDomain n -> {
                return dnsEnd(request, true, "5.1.2 the domain " + domain + " does not exist (NXDOMAIN)",
                        new DestinationFeedback.Ok());
            }
            case MxAnswer.TemporaryFailure t -> {
                String detail = "4.4.3 DNS lookup of the MX records of " + domain + " failed: " + t.reason();
                return dnsEnd(request, false, detail, new DestinationFeedback.HostRefusedUs(detail));
            }
            case MxAnswer.ImplicitMx implicit -> hosts = List.of(implicit.host());
            case MxAnswer.MxHosts found -> hosts = found.hosts();
        }
        boolean onlyMissingHosts = true;
        for (MxHost host : hosts) {
            if (walk.exhausted()) {
                break;
            }
            AddressAnswer addresses = resolver.lookupAddresses(host.name());
            log.info("DNS " + addresses.describe());
            switch (addresses) {
                case AddressAnswer.Addresses found -> {
                    onlyMissingHosts = false;
                    for (InetAddress ip : ipv4First(found.addresses())) {
                        Optional<HostWalk.Result> took = walk.attempt(
                                new Target(host.name(), ip, route.port(), tls, Optional.empty()));
                        if (took.isPresent()) {
                            return took.get();
                        }
                    }
                }
                case AddressAnswer.NoSuchHost missing -> {
                    // the next MX host may have addresses
                }
                case AddressAnswer.TemporaryFailure failure -> onlyMissingHosts = false;
            }
        }
        if (walk.triedAny()) {
            return walk.giveUp();
        }
        if (mx instanceof MxAnswer.ImplicitMx && onlyMissingHosts) {
            return dnsEnd(request, true, "5.1.2 " + domain + " has neither MX nor address records",
                    new DestinationFeedback.Ok());
        }
        String detail = "4.4.3 no address found for the mail hosts of " + domain;
        return dnsEnd(request, false, detail, new DestinationFeedback.HostRefusedUs(detail));
    }

    private HostWalk.Result relay(Route.Relay route, DeliveryRequest request, AttemptLog log) {
        HostWalk walk = new HostWalk(request, log, context, settings.maxAddressesPerAttempt());
        int index = 0;
        for (RelayServer server : route.servers()) {
            index++;
            log.info("relay " + index + " of " + route.servers().size() + ": " + server);
            String host = server.host().startsWith("[") && server.host().endsWith("]")
                    ? server.host().substring(1, server.host().length() - 1) : server.host();
            List<InetAddress> ips;
            if (IpLiterals.isLiteral(host)) {
                ips = List.of(IpLiterals.parse(host));
            } else {
                AddressAnswer answer = resolver.lookupAddresses(host);
                log.info("DNS " + answer.describe());
                if (!(answer instanceof AddressAnswer.Addresses found)) {
                    continue;
                }
                ips = ipv4First(found.addresses());
            }
            TlsPolicy tls = switch (server.tls()) {
                case NONE -> TlsPolicy.NONE;
                case STARTTLS -> TlsPolicy.REQUIRED_VERIFIED;
                case IMPLICIT -> TlsPolicy.IMPLICIT_VERIFIED;
            };
            Optional<Target.Credentials> credentials = server.username()
                    .map(user -> new Target.Credentials(user, server.password().orElse("")));
            for (InetAddress ip : ips) {
                Optional<HostWalk.Result> took = walk.attempt(new Target(host, ip, server.port(), tls, credentials));
                if (took.isPresent()) {
                    return took.get();
                }
            }
        }
        if (walk.triedAny()) {
            return walk.giveUp();
        }
        String detail = "4.4.3 no address found for any relay server";
        return dnsEnd(request, false, detail, new DestinationFeedback.HostRefusedUs(detail));
    }

    /** IPv4 first: a desktop sender's IPv6 address rarely has the reverse DNS receivers insist on. */
    private static List<InetAddress> ipv4First(List<InetAddress> addresses) {
        List<InetAddress> ordered = new ArrayList<>(addresses);
        ordered.sort(Comparator.comparingInt(a -> a instanceof Inet4Address ? 0 : 1));
        return ordered;
    }

    private HostWalk.Result dnsEnd(DeliveryRequest request, boolean permanent, String detail,
                                   DestinationFeedback feedback) {
        return new HostWalk.Result(all(request, r -> permanent
                ? new RecipientOutcome.Bounced(r, Step.DNS, "", "", Optional.empty(), detail, false)
                : new RecipientOutcome.Deferred(r, Step.DNS, "", "", Optional.empty(), detail)), feedback);
    }

    private static List<RecipientOutcome> all(DeliveryRequest request,
                                              java.util.function.Function<Address, RecipientOutcome> outcome) {
        return request.recipients().stream().map(outcome).toList();
    }

    /** Idle pooled connections now held (for tests and metrics). */
    public int idleConnections() {
        return pool.idleCount();
    }

    /** Closes idle pooled connections (with QUIT) and stops the timer thread. */
    @Override
    public void close() {
        pool.close();
        scheduler.shutdownNow();
    }
}
