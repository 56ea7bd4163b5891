package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.heraldmta.smtp.RecipientOutcome.Delivered;
import org.heraldmta.testkit.FakeDns;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.FakeSmtpPeer.Command;
import org.junit.jupiter.api.Test;

class ConnectionReuseTest extends AgentFixture {

    private final FakeDns dns = FakeDns.fromZone("""
            example.test.      MX 10 mx1.example.test.
            mx1.example.test.  A 127.0.0.1
            """);

    @Test
    void twoMessagesToTheSameServerShareOneConnectionWithRsetBetween() throws Exception {
        FakeSmtpPeer peer = peer().offerStartTls();
        SmtpDeliveryAgent agent = agent(dns);

        DeliveryReport first = agent.deliver(Requests.direct("example.test", peer.port()).build());
        DeliveryReport second = agent.deliver(Requests.direct("example.test", peer.port()).to("b@example.test")
                .build());

        assertThat(first.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(second.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.connections()).isEqualTo(1);
        assertThat(peer.messages()).hasSize(2).allSatisfy(m -> assertThat(m.overTls()).isTrue());
        assertThat(peer.commands()).containsSubsequence("DATA", "RSET", "MAIL FROM:<sender@herald.test> SIZE=32");
        assertThat(peer.commands("EHLO")).hasSize(2); // before and after STARTTLS, once
        assertThat(transcriptText(second)).contains("reusing the open connection to mx1.example.test [127.0.0.1]:"
                + peer.port() + " (TLS)", "SENT RSET\n").doesNotContain("connecting to");
    }

    @Test
    void aReusedConnectionThatRefusesRsetIsReplacedByANewOne() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.RSET).reply(421, "4.4.2 idle too long");
        SmtpDeliveryAgent agent = agent(dns);

        agent.deliver(Requests.direct("example.test", peer.port()).build());
        DeliveryReport second = agent.deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(second.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.connections()).isEqualTo(2);
        assertThat(transcriptText(second)).contains("RSET refused; opening a new connection");
    }

    @Test
    void aReusedConnectionTheServerClosedIsReplacedByANewOne() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.RSET).drop();
        SmtpDeliveryAgent agent = agent(dns);

        agent.deliver(Requests.direct("example.test", peer.port()).build());
        DeliveryReport second = agent.deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(second.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.connections()).isEqualTo(2);
        assertThat(peer.messages()).hasSize(2);
    }

    @Test
    void withReuseOffEveryDeliveryEndsWithQuit() throws Exception {
        FakeSmtpPeer peer = peer();
        SmtpDeliveryAgent agent = agent(dns, SmtpClientSettings.DEFAULTS
                .withTimeouts(SmtpClientTimeouts.all(SHORT)).withKeepIdleConnection(Duration.ZERO));

        agent.deliver(Requests.direct("example.test", peer.port()).build());
        agent.deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(peer.connections()).isEqualTo(2);
        assertThat(peer.commands("QUIT")).hasSize(2);
        assertThat(peer.commands("RSET")).isEmpty();
    }

    @Test
    void anIdleConnectionIsClosedWithQuitAfterItsKeepTime() throws Exception {
        FakeSmtpPeer peer = peer();
        SmtpDeliveryAgent agent = agent(dns, SmtpClientSettings.DEFAULTS
                .withTimeouts(SmtpClientTimeouts.all(SHORT)).withKeepIdleConnection(Duration.ofMillis(200)));

        agent.deliver(Requests.direct("example.test", peer.port()).build());
        assertThat(agent.idleConnections()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(3)).until(() -> peer.commands("QUIT").size() == 1);
        assertThat(agent.idleConnections()).isZero();
    }

    @Test
    void closingTheAgentSaysQuitOnIdleConnections() throws Exception {
        FakeSmtpPeer peer = peer();
        SmtpDeliveryAgent agent = agent(dns);
        agent.deliver(Requests.direct("example.test", peer.port()).build());

        agent.close();

        assertThat(peer.commands("QUIT")).hasSize(1);
    }

    @Test
    void aConnectionFailedMidTransactionIsNeverPooled() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.MAIL).times(1).reply(451, "4.3.0 try again");
        SmtpDeliveryAgent agent = agent(dns);

        agent.deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(agent.idleConnections()).isZero();
        assertThat(peer.commands("QUIT")).hasSize(1);
    }

    @Test
    void parallelDeliveriesOpenTheirOwnConnections() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.MESSAGE).delay(Duration.ofMillis(300)).reply(250, "2.0.0 ok");
        SmtpDeliveryAgent agent = agent(dns);

        Thread a = Thread.ofVirtual().start(() -> agent.deliver(Requests.direct("example.test", peer.port()).build()));
        Thread b = Thread.ofVirtual().start(() -> agent.deliver(Requests.direct("example.test", peer.port()).build()));
        a.join();
        b.join();

        assertThat(peer.connections()).isEqualTo(2);
        assertThat(peer.peakConcurrency()).isEqualTo(2);
        assertThat(peer.messages()).hasSize(2);
    }
}
