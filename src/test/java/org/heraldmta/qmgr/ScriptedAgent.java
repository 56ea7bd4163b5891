package org.heraldmta.qmgr;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.smtp.DeliveryAgent;
import org.heraldmta.smtp.DeliveryReport;
import org.heraldmta.smtp.DeliveryRequest;
import org.heraldmta.smtp.DestinationFeedback;
import org.heraldmta.smtp.RecipientOutcome;
import org.heraldmta.smtp.Route;
import org.heraldmta.smtp.Step;

/**
 * A delivery agent that answers from a script, per recipient, and records every call: when it came (on the test
 * clock), the route, the content, and how many calls ran at once per domain.
 */
final class ScriptedAgent implements DeliveryAgent {

    /** One recipient in one call: the request, the recipient, and how many calls have included it (1-based). */
    record Try(DeliveryRequest request, Address recipient, int nth) {
        String host() {
            return switch (request.route()) {
                case Route.Direct d -> "mx." + d.domain().name();
                case Route.Relay r -> r.servers().get(0).host();
            };
        }
    }

    @FunctionalInterface
    interface Script {
        RecipientOutcome answer(Try attempt);
    }

    record Call(DeliveryRequest request, Instant at, byte[] content) {
        Domain domain() {
            return request.recipients().get(0).domain();
        }
    }

    private volatile Script script = ScriptedAgent::delivered;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile Duration latency = Duration.ZERO;
    private final InstantSource clock;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<Address, AtomicInteger> tries = new ConcurrentHashMap<>();
    private final Map<Domain, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<Domain, AtomicInteger> peak = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlightByDestination = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> peakByDestination = new ConcurrentHashMap<>();
    final AtomicInteger waiting = new AtomicInteger();

    ScriptedAgent(InstantSource clock) {
        this.clock = clock;
    }

    ScriptedAgent answering(Script script) {
        this.script = script;
        return this;
    }

    /** Every call waits until {@link #open()} (for tests that look at work in flight). */
    ScriptedAgent gated() {
        gate = new CountDownLatch(1);
        return this;
    }

    void open() {
        gate.countDown();
    }

    ScriptedAgent withLatency(Duration latency) {
        this.latency = latency;
        return this;
    }

    @Override
    public DeliveryReport deliver(DeliveryRequest request) {
        Instant started = clock.instant();
        Domain domain = request.recipients().get(0).domain();
        int now = inFlight.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
        peak.computeIfAbsent(domain, d -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        String destination = request.connection().destination();
        int nowThere = inFlightByDestination.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
        peakByDestination.computeIfAbsent(destination, d -> new AtomicInteger()).accumulateAndGet(nowThere, Math::max);
        try {
            calls.add(new Call(request, started, read(request)));
            waiting.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
                if (!latency.isZero()) {
                    Thread.sleep(latency);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
            List<RecipientOutcome> outcomes = request.recipients().stream()
                    .map(r -> script.answer(new Try(request, r,
                            tries.computeIfAbsent(r, a -> new AtomicInteger()).incrementAndGet())))
                    .toList();
            return new DeliveryReport(started, clock.instant(), outcomes, List.of(), new DestinationFeedback.Ok());
        } finally {
            inFlight.get(domain).decrementAndGet();
            inFlightByDestination.get(destination).decrementAndGet();
        }
    }

    private static byte[] read(DeliveryRequest request) {
        try (InputStream in = request.content().open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> callsTo(String domain) {
        return calls.stream().filter(c -> c.domain().name().equals(domain)).toList();
    }

    int peakConcurrency(String domain) {
        AtomicInteger p = peak.get(Domain.of(domain));
        return p == null ? 0 : p.get();
    }

    /** The most calls in flight at once for one shaping destination (as the request names it). */
    int peakConcurrencyOfDestination(String destination) {
        AtomicInteger p = peakByDestination.get(destination);
        return p == null ? 0 : p.get();
    }

    static RecipientOutcome delivered(Try t) {
        return new RecipientOutcome.Delivered(t.recipient(), Step.DATA, t.host(), "127.0.0.1",
                Optional.of(SmtpReply.of(250, "2.0.0", "ok queued")), "250 2.0.0 ok queued");
    }

    static RecipientOutcome deferred(Try t, int code, String enhanced, String text) {
        SmtpReply reply = SmtpReply.of(code, enhanced, text);
        return new RecipientOutcome.Deferred(t.recipient(), Step.RCPT, t.host(), "127.0.0.1", Optional.of(reply),
                reply.toString());
    }

    static RecipientOutcome greylisted(Try t) {
        return deferred(t, 451, "4.7.1", "greylisted");
    }

    static RecipientOutcome bounced(Try t, int code, String enhanced, String text, boolean blamesSender) {
        SmtpReply reply = SmtpReply.of(code, enhanced, text);
        return new RecipientOutcome.Bounced(t.recipient(), Step.RCPT, t.host(), "127.0.0.1", Optional.of(reply),
                reply.toString(), blamesSender);
    }

    static RecipientOutcome noSuchUser(Try t) {
        return bounced(t, 550, "5.1.1", "no such user", false);
    }
}
