package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heraldmta.config.DirectTls;
import org.heraldmta.config.Rate;
import org.heraldmta.smtp.RecipientOutcome.Deferred;
import org.heraldmta.smtp.RecipientOutcome.Delivered;
import org.heraldmta.testkit.FakeDns;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.junit.jupiter.api.Test;

/** The per-domain connection settings as the receiving server sees them. */
class ConnectionSettingsTest extends AgentFixture {

    private final FakeDns dns = FakeDns.fromZone("""
            example.test.      MX 10 mx1.example.test.
            mx1.example.test.  A 127.0.0.1
            """);

    private static ConnectionOptions options(Optional<String> source, int perConnection, Optional<Rate> rate) {
        return new ConnectionOptions("example.test", source, perConnection, rate);
    }

    @Test
    void theServerSeesTheConnectionComeFromSourceAddress() throws Exception {
        FakeSmtpPeer peer = peer();
        SmtpDeliveryAgent agent = agent(dns);

        DeliveryReport report = agent.deliver(Requests.direct("example.test", peer.port())
                .connection(options(Optional.of("127.0.0.9"), 100, Optional.empty())).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.clientAddresses()).containsExactly("127.0.0.9");
        assertThat(transcriptText(report)).contains("from 127.0.0.9");
    }

    @Test
    void theServerSeesHeloName() throws Exception {
        FakeSmtpPeer peer = peer();

        agent(dns).deliver(Requests.direct("example.test", peer.port()).helo("out.example.org").build());

        assertThat(peer.commands("EHLO")).containsExactly("EHLO out.example.org");
    }

    @Test
    void maxMessagesPerConnectionClosesTheConnectionAfterThatManyMessages() throws Exception {
        FakeSmtpPeer peer = peer();
        SmtpDeliveryAgent agent = agent(dns);

        for (int i = 0; i < 5; i++) {
            DeliveryReport report = agent.deliver(Requests.direct("example.test", peer.port())
                    .connection(options(Optional.empty(), 2, Optional.empty())).build());
            assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        }

        assertThat(peer.messages()).hasSize(5);
        assertThat(peer.connections()).as("2 + 2 + 1 messages").isEqualTo(3);
        assertThat(peer.commands("QUIT")).hasSize(2);
    }

    @Test
    void tlsOffNeverStartsTlsEvenWhenOffered() throws Exception {
        FakeSmtpPeer peer = peer().offerStartTls();

        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port())
                .directTls(DirectTls.OFF).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.commands("STARTTLS")).isEmpty();
        assertThat(peer.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isFalse());
    }

    @Test
    void tlsRequiredDoesNotUseAServerWithoutStartTls() throws Exception {
        FakeSmtpPeer peer = peer();

        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port())
                .directTls(DirectTls.REQUIRED).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Deferred.class)
                .satisfies(o -> assertThat(o.detail()).contains("4.7.4"));
        assertThat(peer.messages()).isEmpty();
    }

    @Test
    void tlsRequiredSendsOverTlsWhenOffered() throws Exception {
        FakeSmtpPeer peer = peer().offerStartTls();

        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port())
                .directTls(DirectTls.REQUIRED).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isTrue());
    }

    @Test
    void maxConnectionRateSpacesNewConnectionsEvenly() throws Exception {
        FakeSmtpPeer peer = peer();
        // no reuse, so that every message needs a new connection
        SmtpDeliveryAgent agent = agent(dns, SmtpClientSettings.DEFAULTS
                .withTimeouts(SmtpClientTimeouts.all(SHORT)).withKeepIdleConnection(Duration.ZERO));
        Rate rate = Rate.parse("20/s"); // 50 ms apart
        Instant before = Instant.now();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            senders.add(Thread.ofVirtual().start(() -> agent.deliver(Requests.direct("example.test", peer.port())
                    .connection(options(Optional.empty(), 100, Optional.of(rate))).build())));
        }
        for (Thread sender : senders) {
            sender.join();
        }

        // The k-th connection's slot is k intervals after the first reservation, which came after "before"; a
        // loaded machine can only make connections later, so this lower bound holds whatever the load.
        List<Instant> times = peer.connectionTimes().stream().sorted().toList();
        assertThat(times).hasSize(6);
        for (int k = 0; k < times.size(); k++) {
            assertThat(Duration.between(before, times.get(k))).as("connection %d", k)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(50L * k - 2));
        }
    }

    @Test
    void thePacerGivesEachNewConnectionTheNextEvenlySpacedSlot() {
        long[] now = {1_000_000_000L};
        ConnectionPacer pacer = new ConnectionPacer(() -> now[0]);
        Rate rate = Rate.parse("5/s");

        assertThat(pacer.reserve("a.test", rate)).isZero();
        assertThat(pacer.reserve("a.test", rate)).isEqualTo(Duration.ofMillis(200));
        assertThat(pacer.reserve("a.test", rate)).isEqualTo(Duration.ofMillis(400));
        assertThat(pacer.reserve("b.test", rate)).as("another destination").isZero();
        now[0] += 2_000_000_000L;
        assertThat(pacer.reserve("a.test", rate)).as("an idle spell earns no burst").isZero();
        assertThat(pacer.reserve("a.test", rate)).isEqualTo(Duration.ofMillis(200));
    }
}
