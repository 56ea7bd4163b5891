package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.EnhancedStatus;
import org.heraldmta.smtp.RecipientOutcome.Bounced;
import org.heraldmta.smtp.RecipientOutcome.Deferred;
import org.heraldmta.smtp.RecipientOutcome.Delivered;
import org.heraldmta.testkit.FakeDns;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.FakeSmtpPeer.Command;
import org.junit.jupiter.api.Test;

class DirectDeliveryTest extends AgentFixture {

    private static final String ZONE = """
            example.test.      MX 10 mx1.example.test.
            mx1.example.test.  A 127.0.0.1
            """;

    @Test
    void aMessageReachesTheDomainsMxHostWithEveryRecipientDelivered() throws Exception {
        FakeSmtpPeer peer = peer();
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", peer.port())
                .to("a@example.test", "b@example.test").content("Subject: hi\r\n\r\nbody\r\n").build());

        assertThat(report.outcomes()).hasSize(2).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Delivered.class);
            assertThat(o.step()).isEqualTo(Step.DATA);
            assertThat(o.host()).isEqualTo("mx1.example.test");
            assertThat(o.ip()).isEqualTo("127.0.0.1");
            assertThat(o.reply().orElseThrow().code()).isEqualTo(250);
        });
        assertThat(report.feedback()).isEqualTo(new DestinationFeedback.Ok());
        assertThat(peer.messages()).singleElement().satisfies(m -> {
            assertThat(m.sender()).isEqualTo("sender@herald.test");
            assertThat(m.recipients()).containsExactly("a@example.test", "b@example.test");
            assertThat(m.content()).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        });
    }

    @Test
    void theTranscriptShowsDnsConnectionAndEveryCommandAndReplyWithTimestamps() throws Exception {
        FakeSmtpPeer peer = peer();
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", peer.port())
                .build());

        String text = transcriptText(report);
        assertThat(text).contains("INFO DNS MX example.test: 10 mx1.example.test\n",
                "INFO DNS A/AAAA mx1.example.test: 127.0.0.1\n",
                "INFO connecting to mx1.example.test [127.0.0.1]:" + peer.port() + "\n",
                "RECEIVED 220 fake.test ESMTP ready\n", "SENT EHLO herald.test\n", "RECEIVED 250-PIPELINING\n",
                "SENT MAIL FROM:<sender@herald.test> SIZE=", "SENT RCPT TO:<user@example.test>\n",
                "SENT DATA\n", "RECEIVED 354 ", "SENT .\n", "RECEIVED 250 2.0.0 queued as FAKE1\n");
        assertThat(text).containsPattern("INFO connected in \\d+ ms");
        assertThat(report.transcript()).extracting(Transcript.Line::time).isSorted().doesNotHaveDuplicates();
        assertThat(report.started()).isBefore(report.finished());
    }

    @Test
    void nullMxBouncesEveryRecipientWithoutConnecting() throws Exception {
        FakeSmtpPeer peer = peer();
        FakeDns dns = FakeDns.fromZone("nullmx.test. MX 0 .\n");
        DeliveryReport report = agent(dns).deliver(Requests.direct("nullmx.test", peer.port())
                .to("a@nullmx.test", "b@nullmx.test").build());

        assertThat(report.outcomes()).hasSize(2).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Bounced.class);
            assertThat(o.step()).isEqualTo(Step.DNS);
            assertThat(o.status()).contains(new EnhancedStatus(5, 1, 10));
            assertThat(((Bounced) o).blamesSender()).isFalse();
        });
        assertThat(peer.connections()).isZero();
        assertThat(dns.queries()).containsExactly("MX nullmx.test");
        assertThat(transcriptText(report)).contains("null MX");
    }

    @Test
    void aDomainThatDoesNotExistBounces() {
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("nowhere.test", 25)
                .to("a@nowhere.test").build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Bounced.class);
            assertThat(o.step()).isEqualTo(Step.DNS);
            assertThat(o.status()).contains(new EnhancedStatus(5, 1, 2));
        });
    }

    @Test
    void aDnsServerFailureDefersWithoutConnecting() throws Exception {
        FakeSmtpPeer peer = peer();
        DeliveryReport report = agent(FakeDns.fromZone(ZONE).servfail("example.test"))
                .deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.DNS);
            assertThat(o.detail()).contains("SERVFAIL");
        });
        assertThat(report.feedback()).isInstanceOf(DestinationFeedback.HostRefusedUs.class);
        assertThat(peer.connections()).isZero();
    }

    @Test
    void aDnsTimeoutDefers() {
        DeliveryReport report = agent(FakeDns.fromZone(ZONE).timeOut("example.test"))
                .deliver(Requests.direct("example.test", 25).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Deferred.class)
                .extracting(RecipientOutcome::step).isEqualTo(Step.DNS);
    }

    @Test
    void aDomainWithoutMxIsDeliveredToItsOwnAddress() throws Exception {
        FakeSmtpPeer peer = peer();
        DeliveryReport report = agent(FakeDns.fromZone("plain.test. A 127.0.0.1\n"))
                .deliver(Requests.direct("plain.test", peer.port()).to("a@plain.test").build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class)
                .extracting(RecipientOutcome::host).isEqualTo("plain.test");
        assertThat(transcriptText(report)).contains("implicit MX");
        assertThat(peer.messages()).hasSize(1);
    }

    @Test
    void aDomainWithNeitherMxNorAddressBounces() {
        DeliveryReport report = agent(FakeDns.fromZone("bare.test. TXT \"nothing\"\n"))
                .deliver(Requests.direct("bare.test", 25).to("a@bare.test").build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Bounced.class)
                .extracting(RecipientOutcome::step).isEqualTo(Step.DNS);
    }

    @Test
    void whenTheFirstMxRefusesTheConnectionTheSecondOneGetsTheMessage() throws Exception {
        FakeSmtpPeer peer = peer();
        FakeDns dns = FakeDns.fromZone("""
                example.test.      MX 10 mx1.example.test.
                example.test.      MX 20 mx2.example.test.
                mx1.example.test.  A 127.0.0.3
                mx2.example.test.  A 127.0.0.1
                """);
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class)
                .extracting(RecipientOutcome::host).isEqualTo("mx2.example.test");
        assertThat(transcriptText(report)).contains("connecting to mx1.example.test [127.0.0.3]",
                "mx1.example.test [127.0.0.3]:" + peer.port() + " not used: 4.4.1 connection refused (connect)",
                "connecting to mx2.example.test [127.0.0.1]");
    }

    @Test
    void anIpv6AddressIsTriedWhenTheIpv4AddressRefuses() throws Exception {
        FakeSmtpPeer peer = remember(FakeSmtpPeer.startOn("::1"));
        FakeDns dns = FakeDns.fromZone("""
                example.test.      MX 10 mx1.example.test.
                mx1.example.test.  AAAA ::1
                mx1.example.test.  A 127.0.0.1
                """);
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class)
                .extracting(RecipientOutcome::ip).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(transcriptText(report)).contains("[127.0.0.1]:" + peer.port() + " not used");
    }

    @Test
    void aHostThatRejectsTheGreetingTemporarilyIsSkippedForTheNext() throws Exception {
        FakeSmtpPeer busy = remember(FakeSmtpPeer.startOn("127.0.0.2"));
        FakeSmtpPeer good = remember(FakeSmtpPeer.startOn("127.0.0.3", busy.port()));
        busy.greeting(421, "4.7.0 too busy, try later");
        FakeDns dns = FakeDns.fromZone("""
                example.test.      MX 10 mx1.example.test.
                example.test.      MX 20 mx2.example.test.
                mx1.example.test.  A 127.0.0.2
                mx2.example.test.  A 127.0.0.3
                """);
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", busy.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(good.messages()).hasSize(1);
        assertThat(busy.commands()).containsExactly("QUIT");
        assertThat(report.feedback()).isInstanceOf(DestinationFeedback.Throttled.class);
    }

    @Test
    void aGreetingOf421FromTheOnlyHostDefersAndAsksToSlowDown() throws Exception {
        FakeSmtpPeer peer = peer().greeting(421, "4.7.0 too many connections from your IP");
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", peer.port())
                .build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.GREETING);
            assertThat(o.reply().orElseThrow().code()).isEqualTo(421);
        });
        assertThat(report.feedback()).isInstanceOf(DestinationFeedback.Throttled.class);
    }

    @Test
    void aGreetingRejectionBouncesBlamingTheSenderSoThePlannerCanRelay() throws Exception {
        FakeSmtpPeer peer = peer().greeting(554, "5.7.1 your IP is on our list");
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", peer.port())
                .build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Bounced.class);
            assertThat(((Bounced) o).blamesSender()).isTrue();
            assertThat(o.step()).isEqualTo(Step.GREETING);
        });
        assertThat(report.feedback()).isInstanceOf(DestinationFeedback.HostRefusedUs.class);
    }

    @Test
    void everyHostRefusingTheConnectionDefersWithHostRefusedUs() throws Exception {
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", closedPort())
                .build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.CONNECT);
            assertThat(o.detail()).contains("connection refused");
            assertThat(o.status()).contains(new EnhancedStatus(4, 4, 1));
        });
        assertThat(report.feedback()).isInstanceOf(DestinationFeedback.HostRefusedUs.class);
    }

    @Test
    void oneRecipientOfThreeRejectedBouncesAloneWhileTheOthersAreDelivered() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.RCPT).matching("bad@").reply(550, "5.1.1 no such user");
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", peer.port())
                .to("a@example.test", "bad@example.test", "c@example.test").build());

        assertThat(report.outcomes()).extracting(o -> o.getClass().getSimpleName())
                .containsExactly("Delivered", "Bounced", "Delivered");
        RecipientOutcome bad = report.outcomes().get(1);
        assertThat(bad.recipient()).isEqualTo(Address.parse("bad@example.test"));
        assertThat(bad.step()).isEqualTo(Step.RCPT);
        assertThat(bad.status()).contains(new EnhancedStatus(5, 1, 1));
        assertThat(((Bounced) bad).blamesSender()).isFalse();
        assertThat(peer.messages()).singleElement().extracting(FakeSmtpPeer.ReceivedMessage::recipients)
                .isEqualTo(java.util.List.of("a@example.test", "c@example.test"));
    }

    @Test
    void aBlocklistRejectionAtRcptBlamesTheSender() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.RCPT).reply(550, "5.7.1 Service unavailable; client host blocked using Spamhaus");
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", peer.port())
                .build());

        assertThat(report.outcomes()).singleElement().isInstanceOfSatisfying(Bounced.class,
                b -> assertThat(b.blamesSender()).isTrue());
    }

    @Test
    void greylistingDefersTheRecipientAndTheNextAttemptDelivers() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.RCPT).times(1).reply(451, "4.7.1 greylisted, come back later");
        SmtpDeliveryAgent agent = agent(FakeDns.fromZone(ZONE));

        DeliveryReport first = agent.deliver(Requests.direct("example.test", peer.port()).build());
        assertThat(first.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.RCPT);
            assertThat(o.reply().orElseThrow().code()).isEqualTo(451);
        });
        assertThat(first.feedback()).isEqualTo(new DestinationFeedback.Ok());
        assertThat(peer.messages()).isEmpty();

        DeliveryReport second = agent.deliver(Requests.direct("example.test", peer.port()).build());
        assertThat(second.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.messages()).hasSize(1);
    }

    @Test
    void aPeerThatStallsBeforeTheGreetingTimesOutAndDefers() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.CONNECT).stall();
        SmtpClientSettings quick = SmtpClientSettings.DEFAULTS.withTimeouts(
                SmtpClientTimeouts.all(Duration.ofMillis(300)));
        long start = System.nanoTime();

        DeliveryReport report = agent(FakeDns.fromZone(ZONE), quick)
                .deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.GREETING);
            assertThat(o.detail()).contains("timed out");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aPeerThatStallsAfterTheContentDefersTheAcceptedRecipientsAtData() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.MESSAGE).stall();
        SmtpClientTimeouts timeouts = new SmtpClientTimeouts(SHORT, SHORT, SHORT, SHORT, SHORT, SHORT, SHORT,
                Duration.ofMillis(300));
        DeliveryReport report = agent(FakeDns.fromZone(ZONE), SmtpClientSettings.DEFAULTS.withTimeouts(timeouts))
                .deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.DATA);
            assertThat(o.detail()).contains("timed out");
        });
    }

    @Test
    void aConnectionDroppedMidTransactionBeforeTheContentMovesOnToTheNextHost() throws Exception {
        FakeSmtpPeer dropping = remember(FakeSmtpPeer.startOn("127.0.0.2"));
        FakeSmtpPeer good = remember(FakeSmtpPeer.startOn("127.0.0.3", dropping.port()));
        dropping.on(Command.DATA).drop();
        FakeDns dns = FakeDns.fromZone("""
                example.test.      MX 10 mx1.example.test.
                example.test.      MX 20 mx2.example.test.
                mx1.example.test.  A 127.0.0.2
                mx2.example.test.  A 127.0.0.3
                """);
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", dropping.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class)
                .extracting(RecipientOutcome::host).isEqualTo("mx2.example.test");
        assertThat(transcriptText(report)).contains("connection closed by the server (data)");
    }

    @Test
    void aConnectionDroppedAfterTheContentDefersAndTriesNoOtherHost() throws Exception {
        FakeSmtpPeer dropping = remember(FakeSmtpPeer.startOn("127.0.0.2"));
        FakeSmtpPeer other = remember(FakeSmtpPeer.startOn("127.0.0.3", dropping.port()));
        dropping.on(Command.MESSAGE).drop();
        FakeDns dns = FakeDns.fromZone("""
                example.test.      MX 10 mx1.example.test.
                example.test.      MX 20 mx2.example.test.
                mx1.example.test.  A 127.0.0.2
                mx2.example.test.  A 127.0.0.3
                """);
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", dropping.port()).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.DATA);
            assertThat(o.host()).isEqualTo("mx1.example.test");
        });
        assertThat(other.connections()).isZero();
    }

    @Test
    void aFiveHundredToMailFromEveryHostBouncesBlamingTheSender() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.MAIL).reply(550, "5.7.1 sender rejected by policy");
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", peer.port())
                .build());

        assertThat(report.outcomes()).singleElement().isInstanceOfSatisfying(Bounced.class, b -> {
            assertThat(b.blamesSender()).isTrue();
            assertThat(b.step()).isEqualTo(Step.MAIL);
        });
    }

    @Test
    void aFiveHundredAtDataBouncesTheAcceptedRecipients() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.MESSAGE).reply(554, "5.6.0 message content rejected");
        DeliveryReport report = agent(FakeDns.fromZone(ZONE)).deliver(Requests.direct("example.test", peer.port())
                .to("a@example.test", "b@example.test").build());

        assertThat(report.outcomes()).hasSize(2).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Bounced.class);
            assertThat(o.step()).isEqualTo(Step.DATA);
        });
    }

    @Test
    void anAddressLiteralDomainIsDeliveredWithoutDns() throws Exception {
        FakeSmtpPeer peer = peer();
        FakeDns dns = FakeDns.fromZone(ZONE);
        DeliveryReport report = agent(dns).deliver(Requests.direct("[127.0.0.1]", peer.port())
                .to("a@[127.0.0.1]").build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(dns.queries()).isEmpty();
    }
}
