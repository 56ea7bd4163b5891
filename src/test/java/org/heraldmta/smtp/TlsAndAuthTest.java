package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.heraldmta.config.RelayTls;
import org.heraldmta.mail.EnhancedStatus;
import org.heraldmta.smtp.RecipientOutcome.Deferred;
import org.heraldmta.smtp.RecipientOutcome.Delivered;
import org.heraldmta.testkit.FakeDns;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.FakeSmtpPeer.Command;
import org.heraldmta.testkit.TestCertificate;
import org.junit.jupiter.api.Test;

class TlsAndAuthTest extends AgentFixture {

    private final FakeDns dns = FakeDns.fromZone("""
            example.test.      MX 10 mx1.example.test.
            mx1.example.test.  A 127.0.0.1
            relay.test.        A 127.0.0.1
            """);

    // ---- direct delivery: opportunistic STARTTLS ------------------------------------------------------------

    @Test
    void directDeliveryUsesStartTlsWheneverOfferedWithoutVerifyingTheCertificate() throws Exception {
        FakeSmtpPeer peer = peer().offerStartTls();
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isTrue());
        assertThat(peer.commands()).containsSubsequence("EHLO herald.test", "STARTTLS", "EHLO herald.test",
                "MAIL FROM:<sender@herald.test> SIZE=32");
        assertThat(transcriptText(report)).containsPattern(
                "INFO TLS TLSv1\\.[23] \\S+, server certificate CN=localhost, certificate not verified");
    }

    @Test
    void directDeliveryGoesOnInPlainTextWhenStartTlsIsNotOffered() throws Exception {
        FakeSmtpPeer peer = peer();
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isFalse());
        assertThat(transcriptText(report)).contains("does not offer STARTTLS: continuing without TLS");
    }

    @Test
    void aFailedTlsHandshakeIsFollowedByAPlainConnectionToTheSameHost() throws Exception {
        FakeSmtpPeer peer = peer().offerStartTls();
        peer.on(Command.STARTTLS).times(1).reply(220, "go ahead"); // says yes, then never speaks TLS
        SmtpClientTimeouts quickCommands = new SmtpClientTimeouts(SHORT, SHORT, Duration.ofMillis(500), SHORT, SHORT,
                SHORT, SHORT, SHORT);
        DeliveryReport report = agent(dns, SmtpClientSettings.DEFAULTS.withTimeouts(quickCommands))
                .deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.connections()).isEqualTo(2);
        assertThat(peer.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isFalse());
        assertThat(transcriptText(report)).contains("TLS handshake failed", "again without TLS");
    }

    @Test
    void directDeliveryRequiringTlsDoesNotUseAHostWithoutStartTls() throws Exception {
        FakeSmtpPeer peer = peer();
        DeliveryReport report = agent(dns).deliver(Requests.directRequiringTls("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.STARTTLS);
            assertThat(o.status()).contains(new EnhancedStatus(4, 7, 4));
        });
        assertThat(peer.commands("MAIL")).isEmpty();
    }

    // ---- relays ----------------------------------------------------------------------------------------------

    @Test
    void aRelayWithoutTlsGetsTheMessageForAnyDomain() throws Exception {
        FakeSmtpPeer relay = peer();
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", relay.port(), RelayTls.NONE)).to("a@elsewhere.test").build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class)
                .extracting(RecipientOutcome::host).isEqualTo("127.0.0.1");
        assertThat(relay.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isFalse());
    }

    @Test
    void aRelayNamedByHostNameIsResolvedThroughHeraldsResolver() throws Exception {
        FakeSmtpPeer relay = peer();
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("relay.test", relay.port(), RelayTls.NONE)).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class)
                .extracting(RecipientOutcome::host).isEqualTo("relay.test");
        assertThat(dns.queries()).contains("A relay.test");
    }

    @Test
    void relaysAreTriedInOrder() throws Exception {
        FakeSmtpPeer second = peer();
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", closedPort(), RelayTls.NONE),
                Requests.relayServer("127.0.0.1", second.port(), RelayTls.NONE)).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(transcriptText(report)).contains("relay 1 of 2", "connection refused", "relay 2 of 2");
    }

    @Test
    void aRelayRequiringStartTlsThatDoesNotOfferItIsNotUsed() throws Exception {
        FakeSmtpPeer plain = peer();
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", plain.port(), RelayTls.STARTTLS)).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.STARTTLS);
        });
        assertThat(plain.messages()).isEmpty();
        assertThat(plain.commands("MAIL")).isEmpty();
    }

    @Test
    void aRelayWithoutStartTlsIsPassedOverForTheNextOneThatHasIt() throws Exception {
        FakeSmtpPeer plain = peer();
        FakeSmtpPeer secure = peer().offerStartTls();
        DeliveryReport report = agent(dns, SmtpClientSettings.DEFAULTS.withTimeouts(SmtpClientTimeouts.all(SHORT)),
                secure.certificate().trustingClientContext()).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", plain.port(), RelayTls.STARTTLS),
                Requests.relayServer("127.0.0.1", secure.port(), RelayTls.STARTTLS)).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(secure.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isTrue());
    }

    @Test
    void aStartTlsRelaysCertificateIsVerifiedAgainstTheTrustedAuthority() throws Exception {
        TestCertificate certificate = TestCertificate.selfSigned("relay.test");
        FakeSmtpPeer relay = peer().offerStartTls(certificate);
        DeliveryReport report = agent(dns, SmtpClientSettings.DEFAULTS.withTimeouts(SmtpClientTimeouts.all(SHORT)),
                certificate.trustingClientContext()).deliver(Requests.relay(
                Requests.relayServer("relay.test", relay.port(), RelayTls.STARTTLS)).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(transcriptText(report)).contains("certificate verified for relay.test");
    }

    @Test
    void aStartTlsRelayWithAnUntrustedCertificateIsNotUsed() throws Exception {
        FakeSmtpPeer relay = peer().offerStartTls(); // self-signed, not in the JDK's trust store
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", relay.port(), RelayTls.STARTTLS)).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.STARTTLS);
            assertThat(o.detail()).contains("TLS handshake failed");
        });
        assertThat(relay.messages()).isEmpty();
        assertThat(relay.connections()).isEqualTo(1); // no plain-text retry for a relay
    }

    @Test
    void aStartTlsRelaysCertificateMustNameTheRelay() throws Exception {
        TestCertificate wrongName = TestCertificate.selfSigned("other.test");
        FakeSmtpPeer relay = peer().offerStartTls(wrongName);
        DeliveryReport report = agent(dns, SmtpClientSettings.DEFAULTS.withTimeouts(SmtpClientTimeouts.all(SHORT)),
                wrongName.trustingClientContext()).deliver(Requests.relay(
                Requests.relayServer("relay.test", relay.port(), RelayTls.STARTTLS)).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Deferred.class)
                .extracting(RecipientOutcome::step).isEqualTo(Step.STARTTLS);
        assertThat(relay.messages()).isEmpty();
    }

    @Test
    void anImplicitTlsRelaySpeaksTlsFromTheFirstByte() throws Exception {
        TestCertificate certificate = TestCertificate.selfSigned("relay.test", "127.0.0.1");
        FakeSmtpPeer relay = remember(FakeSmtpPeer.startImplicitTls(certificate));
        DeliveryReport report = agent(dns, SmtpClientSettings.DEFAULTS.withTimeouts(SmtpClientTimeouts.all(SHORT)),
                certificate.trustingClientContext()).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", relay.port(), RelayTls.IMPLICIT)).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(relay.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isTrue());
        assertThat(relay.commands()).doesNotContain("STARTTLS");
        String text = transcriptText(report);
        assertThat(text.indexOf("INFO TLS TLSv1.")).isLessThan(text.indexOf("RECEIVED 220"));
    }

    // ---- AUTH ------------------------------------------------------------------------------------------------

    @Test
    void authPlainLogsInAndTheTranscriptMasksTheSecret() throws Exception {
        FakeSmtpPeer relay = peer().requireAuth("herald", "s3cret!", "LOGIN", "PLAIN");
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", relay.port(), RelayTls.NONE, "herald", "s3cret!")).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(relay.authenticatedUsers()).containsExactly("herald");
        String text = transcriptText(report);
        assertThat(text).contains("SENT AUTH PLAIN ****\n", "authenticated as herald");
        assertThat(text).doesNotContain("s3cret", base64("\0herald\0s3cret!"));
    }

    @Test
    void authLoginLogsInAndTheTranscriptMasksUserAndPassword() throws Exception {
        FakeSmtpPeer relay = peer().requireAuth("herald", "s3cret!", "LOGIN");
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", relay.port(), RelayTls.NONE, "herald", "s3cret!")).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(relay.authenticatedUsers()).containsExactly("herald");
        String text = transcriptText(report);
        assertThat(text).contains("SENT AUTH LOGIN\n", "RECEIVED 334 VXNlcm5hbWU6\n", "SENT ****\n",
                "RECEIVED 334 UGFzc3dvcmQ6\n", "RECEIVED 235 ");
        assertThat(text).doesNotContain("s3cret", base64("s3cret!"), base64("herald"));
    }

    @Test
    void aRejectedPasswordDefersAtAuthWithoutBouncing() throws Exception {
        FakeSmtpPeer relay = peer().requireAuth("herald", "right", "PLAIN");
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", relay.port(), RelayTls.NONE, "herald", "wrong")).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.AUTH);
            assertThat(o.reply().orElseThrow().code()).isEqualTo(535);
        });
        assertThat(relay.messages()).isEmpty();
    }

    @Test
    void aRelayOfferingNoUsableAuthMechanismIsNotUsed() throws Exception {
        FakeSmtpPeer relay = peer().requireAuth("herald", "s3cret!", "CRAM-MD5");
        DeliveryReport report = agent(dns).deliver(Requests.relay(
                Requests.relayServer("127.0.0.1", relay.port(), RelayTls.NONE, "herald", "s3cret!")).build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.AUTH);
            assertThat(o.detail()).contains("CRAM-MD5");
        });
    }

    @Test
    void authHappensAfterStartTlsOnAVerifiedRelay() throws Exception {
        TestCertificate certificate = TestCertificate.selfSigned("relay.test");
        FakeSmtpPeer relay = peer().offerStartTls(certificate).requireAuth("herald", "s3cret!", "PLAIN");
        DeliveryReport report = agent(dns, SmtpClientSettings.DEFAULTS.withTimeouts(SmtpClientTimeouts.all(SHORT)),
                certificate.trustingClientContext()).deliver(Requests.relay(
                Requests.relayServer("relay.test", relay.port(), RelayTls.STARTTLS, "herald", "s3cret!")).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(relay.commands()).containsSubsequence("STARTTLS", "EHLO herald.test",
                "AUTH PLAIN " + base64("\0herald\0s3cret!"), "MAIL FROM:<sender@herald.test> SIZE=32");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
