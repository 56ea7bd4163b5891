package org.heraldmta.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.heraldmta.log.Event;
import org.heraldmta.mail.QueueId;
import org.heraldmta.qmgr.QueueEntry;
import org.heraldmta.spool.ForceListener;

/**
 * Herald's Micrometer meters, exposed as Prometheus text by {@link #scrape()}:
 * <ul>
 *   <li>{@code herald_messages_received_total}; {@code herald_recipients_total{outcome, domain}} for delivered,
 *       deferred, bounced and expired (one per recipient and attempt, as the events), {@code domain} only for the
 *       busiest domains ({@link DomainLabels}), else {@code "other"};</li>
 *   <li>{@code herald_queue_entries{state}} and {@code herald_queue_messages}, read from one queue snapshot per
 *       scrape; {@code herald_connections_in_use}; {@code herald_smtp_sessions_open};</li>
 *   <li>{@code herald_delivery_latency_seconds} (from acceptance, as encoded in the queue id, to the delivered
 *       event) and {@code herald_spool_fsync_seconds} (each force of the journal).</li>
 * </ul>
 * Thread safe; counting is cheap and never blocks.
 */
public final class HeraldMetrics {

    static final List<String> OUTCOMES = List.of("delivered", "deferred", "bounced", "expired");
    public static final int LABELLED_DOMAINS = 20;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final InstantSource clock;
    private final Counter received;
    private final Timer deliveryLatency;
    private final Timer fsync;
    private final DomainLabels domains;
    /** Since start, over all domains: the per-domain series of a domain that leaves the busiest are removed. */
    private final Map<String, LongAdder> outcomeTotals = new LinkedHashMap<>();
    private final AtomicReference<Map<QueueEntry.State, Long>> queueCounts = new AtomicReference<>(Map.of());
    private final AtomicReference<Integer> queueMessages = new AtomicReference<>(0);
    private volatile Supplier<QueueCounts> queueSource = () -> new QueueCounts(Map.of(), 0);

    /** A queue's size by state and in messages. */
    public record QueueCounts(Map<QueueEntry.State, Long> entries, int messages) {
    }

    public HeraldMetrics(InstantSource clock) {
        this.clock = clock;
        this.received = Counter.builder("herald.messages.received").description("messages accepted (SMTP, HTTP)")
                .register(registry);
        this.deliveryLatency = Timer.builder("herald.delivery.latency")
                .description("from acceptance to delivery, per delivered recipient")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofDays(5)).register(registry);
        this.fsync = Timer.builder("herald.spool.fsync").description("time of each force of the spool journal")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        this.domains = new DomainLabels(LABELLED_DOMAINS, clock.instant(), this::removeDomain);
        for (QueueEntry.State state : QueueEntry.State.values()) {
            Gauge.builder("herald.queue.entries", () -> queueCounts.get().getOrDefault(state, 0L))
                    .description("queue entries (message and recipient domain) by state")
                    .tag("state", state.label()).strongReference(true).register(registry);
        }
        Gauge.builder("herald.queue.messages", queueMessages::get).description("messages in the queue")
                .strongReference(true).register(registry);
        for (String outcome : OUTCOMES) {
            recipients(outcome, DomainLabels.OTHER);
            outcomeTotals.put(outcome, new LongAdder());
        }
    }

    /** Where the queue gauges read from (once per scrape) and what counts as a connection in use. */
    public void watchQueue(Supplier<QueueCounts> counts, IntSupplier connectionsInUse) {
        this.queueSource = counts;
        Gauge.builder("herald.connections.in.use", connectionsInUse::getAsInt)
                .description("outbound deliveries in flight").strongReference(true).register(registry);
    }

    public void watchInboundSessions(IntSupplier open) {
        Gauge.builder("herald.smtp.sessions.open", open::getAsInt).description("inbound SMTP sessions open")
                .strongReference(true).register(registry);
    }

    /** Times each journal force; hand it to the spool's options. */
    public ForceListener fsyncListener() {
        return fsync::record;
    }

    /** Counts one event of the event log. */
    void count(Event event) {
        switch (event.event()) {
            case "received" -> received.increment();
            case "delivered", "deferred", "bounced", "expired" -> {
                String domain = String.valueOf(event.fields().getOrDefault("domain", ""));
                recipients(event.event(), domains.labelFor(domain, clock.instant())).increment();
                outcomeTotals.get(event.event()).increment();
                if (event.event().equals("delivered")) {
                    latency(event).ifPresent(deliveryLatency::record);
                }
            }
            default -> {
            }
        }
    }

    /** Totals since start: received, and each outcome over all domains. */
    public Map<String, Long> totals() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("received", (long) received.count());
        outcomeTotals.forEach((outcome, total) -> out.put(outcome, total.sum()));
        return out;
    }

    /** The Prometheus text exposition, after reading the queue once. */
    public String scrape() {
        QueueCounts counts = queueSource.get();
        Map<QueueEntry.State, Long> byState = new EnumMap<>(QueueEntry.State.class);
        byState.putAll(counts.entries());
        queueCounts.set(byState);
        queueMessages.set(counts.messages());
        return registry.scrape();
    }

    private Counter recipients(String outcome, String domain) {
        return Counter.builder("herald.recipients").description("recipients by outcome of an attempt")
                .tag("outcome", outcome).tag("domain", domain).register(registry);
    }

    private void removeDomain(String domain) {
        for (Meter meter : registry.find("herald.recipients").tag("domain", domain).meters()) {
            registry.remove(meter);
        }
    }

    private static java.util.Optional<Duration> latency(Event event) {
        try {
            QueueId id = QueueId.parse(String.valueOf(event.fields().get("queue_id")));
            Duration took = Duration.between(id.issuedAt(), event.time());
            return took.isNegative() ? java.util.Optional.empty() : java.util.Optional.of(took);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
