package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.heraldmta.config.DomainKey;
import org.heraldmta.config.DomainOverrides;
import org.heraldmta.config.DomainRules;
import org.heraldmta.mail.Domain;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MX rules as shared destinations, MX look-ups that fail or take time, and settings swapped while running. */
@Timeout(60)
class QueueManagerDestinationRulesTest {

    private static final String OUTLOOK = "mx *.outlook.test";

    private static final MxHostNames MX = domain -> CompletableFuture.completedFuture(switch (domain.name()) {
        case "hotmail.test", "live.test" -> List.of("mx1.outlook.test", "mx2.outlook.test");
        case "outlook.test" -> List.of("mx3.outlook.test");
        default -> List.of("mx." + domain.name());
    });

    private static DomainRules outlookRule(int maxConnections, int defaultConnections) {
        return new DomainRules(new DomainOverrides(Map.of(DomainKey.MAX_CONNECTIONS, defaultConnections)), Map.of(),
                Map.of(), Map.of("*.outlook.test", new DomainOverrides(Map.of(DomainKey.MAX_CONNECTIONS,
                        maxConnections))));
    }

    private static DomainRules defaults(int maxConnections) {
        return new DomainRules(new DomainOverrides(Map.of(DomainKey.MAX_CONNECTIONS, maxConnections)), Map.of(),
                Map.of(), Map.of());
    }

    @Test
    void domainsWhoseMxHostsMatchAnMxRuleShareItsMaxConnectionsWhileOthersKeepTheirOwn() throws Exception {
        InstantSource clock = InstantSource.system();
        RecordingSpool spool = new RecordingSpool(clock);
        ScriptedAgent agent = new ScriptedAgent(clock).withLatency(Duration.ofMillis(3));
        QueueSettings settings = QueueHarness.rules(outlookRule(2, 4));
        try (QueueManager queue = new QueueManager(spool, agent, () -> settings, new RecordingEventLog(),
                AttemptLog.discard(), clock, MX)) {
            queue.start();
            for (int i = 0; i < 20; i++) {
                for (String domain : List.of("hotmail.test", "live.test", "outlook.test", "other.test")) {
                    queue.enqueue(spool.accept("alice@sender.test", "r" + i + "@" + domain));
                }
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> spool.messages().isEmpty());

            assertThat(agent.calls()).hasSize(80);
            assertThat(agent.peakConcurrencyOfDestination(OUTLOOK)).as("across three domains").isEqualTo(2);
            assertThat(agent.peakConcurrencyOfDestination("other.test")).isEqualTo(4);
            assertThat(agent.calls()).filteredOn(c -> !c.domain().name().equals("other.test"))
                    .allSatisfy(c -> assertThat(c.request().connection().destination()).isEqualTo(OUTLOOK));
        }
    }

    @Test
    void workWaitsVisiblyForItsMxHostsAndThenGoesToTheMxRulesDestination() throws Exception {
        Map<Domain, CompletableFuture<List<String>>> lookups = new ConcurrentHashMap<>();
        MxHostNames slow = domain -> lookups.computeIfAbsent(domain, d -> new CompletableFuture<>());
        try (QueueHarness h = new QueueHarness(new AtomicReference<>(QueueHarness.rules(outlookRule(1, 5))), slow)) {
            SpooledMessage message = h.send("alice@sender.test", "bob@hotmail.test");

            assertThat(h.queue.runDueWork()).isZero();
            assertThat(h.queue.whyWaiting(message.id())).map(WaitReason::text)
                    .contains("looking up the MX hosts of hotmail.test to choose its MX rule");

            lookups.get(Domain.of("hotmail.test")).complete(List.of("mx1.outlook.test"));
            h.run();

            assertThat(h.agent.calls()).singleElement().satisfies(c ->
                    assertThat(c.request().connection().destination()).isEqualTo(OUTLOOK));
            assertThat(h.spool.messages()).isEmpty();
        }
    }

    @Test
    void aFailedMxLookUpLetsTheMailGoAsItsOwnDestination() throws Exception {
        MxHostNames failing = domain -> CompletableFuture.failedFuture(new IllegalStateException("SERVFAIL"));
        try (QueueHarness h = new QueueHarness(new AtomicReference<>(QueueHarness.rules(outlookRule(1, 5))),
                failing)) {
            h.send("alice@sender.test", "bob@hotmail.test");

            h.run();

            assertThat(h.agent.calls()).singleElement().satisfies(c ->
                    assertThat(c.request().connection().destination()).isEqualTo("hotmail.test"));
            assertThat(h.spool.messages()).isEmpty();
        }
    }

    @Test
    void withoutMxRulesNoMxHostsAreAskedFor() throws Exception {
        List<Domain> asked = new ArrayList<>();
        MxHostNames recording = domain -> {
            asked.add(domain);
            return CompletableFuture.completedFuture(List.of());
        };
        try (QueueHarness h = new QueueHarness(new AtomicReference<>(QueueHarness.rules(defaults(5))), recording)) {
            h.send("alice@sender.test", "bob@hotmail.test");
            h.run();

            assertThat(h.agent.calls()).hasSize(1);
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void aHigherMaxConnectionsTakesEffectAtOnceAfterSettingsChanged() throws Exception {
        AtomicReference<QueueSettings> settings = new AtomicReference<>(QueueHarness.rules(defaults(1)));
        try (QueueHarness h = new QueueHarness(settings, MxHostNames.none())) {
            h.agent.gated();
            for (int i = 0; i < 4; i++) {
                h.send("alice@sender.test", "r" + i + "@example.test");
            }
            assertThat(h.queue.runDueWork()).isEqualTo(1);

            settings.set(QueueHarness.rules(defaults(3)));
            h.queue.settingsChanged();

            assertThat(h.queue.runDueWork()).as("two more, the one in flight finishes").isEqualTo(2);
            h.agent.open();
            h.run();
            assertThat(h.spool.messages()).isEmpty();
        }
    }

    @Test
    void anMxRuleAddedWhileRunningMovesReadyWorkToItsSharedDestinationAndDeliveriesInFlightFinish()
            throws Exception {
        AtomicReference<QueueSettings> settings = new AtomicReference<>(QueueHarness.rules(defaults(1)));
        try (QueueHarness h = new QueueHarness(settings, MX)) {
            h.agent.gated();
            List<SpooledMessage> messages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                messages.add(h.send("alice@sender.test", "r" + i + "@hotmail.test"));
                messages.add(h.send("alice@sender.test", "r" + i + "@live.test"));
            }
            assertThat(h.queue.runDueWork()).as("one per domain").isEqualTo(2);
            await().until(() -> h.agent.waiting.get() == 2);

            settings.set(QueueHarness.rules(outlookRule(1, 1)));
            h.queue.settingsChanged();

            await().untilAsserted(() -> assertThat(h.queue.whyWaiting(messages.get(2).id())).map(WaitReason::text)
                    .contains("ready: next in line for destination " + OUTLOOK));
            assertThat(h.queue.runDueWork()).as("the shared destination has its own count").isEqualTo(1);
            h.agent.open();
            h.run();

            List<String> destinations = h.agent.calls().stream().map(c -> c.request().connection().destination())
                    .toList();
            assertThat(destinations.subList(0, 2)).containsExactlyInAnyOrder("hotmail.test", "live.test");
            assertThat(destinations.subList(2, 6)).containsOnly(OUTLOOK);
            assertThat(h.spool.messages()).isEmpty();
        }
    }
}
