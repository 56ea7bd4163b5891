package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventReader;
import org.heraldmta.mail.QueueId;
import org.heraldmta.testkit.Dnsmasq;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.Submitter;
import org.heraldmta.testkit.TestHeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Herald's DNS server goes away: mail waits (deferred at step dns, never bounced) and goes out once it is back. */
class DnsOutageTest {

    @TempDir
    Path work;

    @Test
    void withTheDnsServerGoneMailIsDeferredNotBouncedAndDeliveredWhenItReturns() throws Exception {
        int dnsPort = Dnsmasq.freeUdpPort(); // nothing listens there: the DNS server is gone
        try (FakeSmtpPeer mx = FakeSmtpPeer.startOn("127.0.0.45")) {
            try (Herald herald = TestHeraldConfig.resolvingAt("127.0.0.1:" + dnsPort).withDnsTimeout("1s")
                    .start(work, """
                    [domains.default]
                    direct_attempts = 100
                    relay_attempts = 0
                    delay_after_failure = "1s"
                    port = %d
                    """.formatted(mx.port()))) {
                QueueId id = QueueId.parse(Submitter.submit("127.0.0.1", herald.smtpAddresses().getFirst().getPort(),
                        "app@herald.test", List.of("friend@outage.test"), "token-dns"));

                await(() -> events(id, "deferred").size() >= 2, Duration.ofSeconds(20));
                assertThat(events(id, "deferred")).allSatisfy(e -> assertThat(e.fields())
                        .containsEntry("step", "dns").containsEntry("enhanced", "4.4.3")
                        .hasEntrySatisfying("reply", reply -> assertThat(reply.toString())
                                .contains("port unreachable").doesNotContain("null")));
                assertThat(events(id, "bounced")).isEmpty();
                assertThat(mx.messages()).isEmpty();

                try (Dnsmasq back = Dnsmasq.startOn(dnsPort, "mx.outage.test",
                        "--mx-host=outage.test,mx.outage.test,10", "--host-record=mx.outage.test,127.0.0.45")) {
                    await(() -> !mx.messages().isEmpty(), Duration.ofSeconds(20));
                }
                assertThat(mx.messages()).singleElement()
                        .satisfies(m -> assertThat(m.content()).contains("body token-dns"));
                await(() -> !events(id, "delivered").isEmpty(), Duration.ofSeconds(5));
                assertThat(events(id, "bounced")).isEmpty();
            }
        }
    }

    private List<Event> events(QueueId id, String name) {
        try {
            return new EventReader(work.resolve("var/log")).forQueueId(id).stream()
                    .filter(e -> e.event().equals(name)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).as("within " + limit).isTrue();
    }
}
