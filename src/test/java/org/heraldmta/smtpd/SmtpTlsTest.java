package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.testkit.SmtpDialogue;
import org.heraldmta.testkit.TestCertificates;
import org.heraldmta.testkit.TestCertificates.KeyFormat;
import org.heraldmta.testkit.TestCertificates.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS and implicit TLS over real sockets, with clients that check the server's certificate. */
class SmtpTlsTest {

    @TempDir
    Path dir;

    private TestTls tls;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        tls = TestTls.selfSigned(dir);
        server = TestServer.builder().tls(tls.server()).implicitTls().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SmtpDialogue startTls() throws IOException {
        SmtpDialogue smtp = server.greeted();
        smtp.send("STARTTLS").expect("220 2.0.0");
        smtp.startTls(tls.clientTrust(), TestServer.HOSTNAME);
        return smtp;
    }

    @Test
    void ehloOffersStartTlsUntilTlsIsOn() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            assertThat(smtp.send("EHLO client.test").expect("250").lines()).contains("STARTTLS");
            smtp.send("STARTTLS").expect("220 2.0.0");
            smtp.startTls(tls.clientTrust(), TestServer.HOSTNAME);
            assertThat(smtp.send("EHLO client.test").expect("250").lines()).doesNotContain("STARTTLS");
            smtp.send("STARTTLS").expect("503 5.5.1");
        }
    }

    @Test
    void aTransactionAfterStartTlsIsReceivedWithEsmtps() throws IOException {
        try (SmtpDialogue smtp = startTls()) {
            assertThat(smtp.tlsSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
            // RFC 3207 §4.2: the greeting from before TLS is forgotten.
            smtp.send("MAIL FROM:<a@example.test>").expect("503 5.5.1");
            smtp.send("EHLO client.test").expect("250");
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("Subject: over TLS\r\n\r\nhello\r\n.\r\n").expect("250 2.0.0");
            smtp.send("QUIT").expect("221");
        }
        assertThat(server.onlyContent()).contains("with ESMTPS id").contains("Subject: over TLS");
    }

    @Test
    void aCommandSentInTheSamePacketAsStartTlsIsNeverAnswered() throws IOException {
        // CVE-2011-0411: plaintext sent after STARTTLS must not be taken as sent under TLS.
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.sendRaw("STARTTLS\r\nRSET\r\n").expect("220 2.0.0");
            smtp.startTls(tls.clientTrust(), TestServer.HOSTNAME);
            // Had RSET been kept, its "250 2.0.0 Ok" would come before the EHLO reply.
            SmtpReply first = smtp.send("EHLO client.test").expect("250");
            assertThat(first.lines()).first().isEqualTo(TestServer.HOSTNAME);
            smtp.send("NOOP").expect("250 2.0.0");
        }
    }

    @Test
    void anInjectedTransactionDoesNotSurviveTheHandshake() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.sendRaw("STARTTLS\r\nMAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@example.test>\r\n")
                    .expect("220 2.0.0");
            smtp.startTls(tls.clientTrust(), TestServer.HOSTNAME);
            smtp.send("EHLO client.test").expect("250-" + TestServer.HOSTNAME);
            smtp.send("DATA").expect("503 5.5.1");
            smtp.send("RCPT TO:<b@example.test>").expect("503 5.5.1");
        }
        assertThat(server.spool.messages()).isEmpty();
    }

    @Test
    void theImplicitTlsListenerStartsWithTheHandshake() throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.connectTls("127.0.0.1", server.tlsPort(), tls.clientTrust(),
                TestServer.HOSTNAME)) {
            smtp.expect("220 " + TestServer.HOSTNAME);
            List<String> extensions = smtp.send("EHLO client.test").expect("250").lines();
            assertThat(extensions).doesNotContain("STARTTLS");
            smtp.send("STARTTLS").expect("503 5.5.1");
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("Subject: implicit\r\n\r\nhello\r\n.\r\n").expect("250 2.0.0");
        }
        assertThat(server.onlyContent()).contains("with ESMTPS id");
    }

    @Test
    void plaintextOnTheImplicitTlsListenerGetsNoSmtp() throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.connect("127.0.0.1", server.tlsPort())) {
            smtp.send("EHLO client.test");
            smtp.expectClosed();
        }
        try (SmtpDialogue other = server.greeted()) {
            other.send("NOOP").expect("250");
        }
    }

    @Test
    void tlsOneTwoIsAcceptedToo() throws Exception {
        SSLContext trust = tls.clientTrust();
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("STARTTLS").expect("220");
            SSLSocket raw = wrapWithProtocols(smtp, trust, "TLSv1.2");
            raw.startHandshake();
            assertThat(raw.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void tlsOneOneIsRefusedByTheServer() throws IOException {
        // The JDK's client will not even offer TLS 1.1, so this is a hand-made TLS 1.1 ClientHello.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(IpLiterals.parse("127.0.0.1"), server.tlsPort()), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(tlsOneOneClientHello());
            out.flush();
            InputStream in = socket.getInputStream();
            int contentType = in.read();
            assertThat(contentType).as("an alert (21), not a ServerHello handshake record (22)").isIn(21, -1);
            if (contentType == 21) {
                in.readNBytes(4); // version and length
                int level = in.read();
                int description = in.read();
                assertThat(level).as("fatal").isEqualTo(2);
                assertThat(description).as("protocol_version (70) or handshake_failure (40)").isIn(70, 40);
            }
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsAndTheServerCarriesOn() throws Exception {
        Pair stranger = TestCertificates.selfSigned(TestCertificates.ec(), TestServer.HOSTNAME);
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("STARTTLS").expect("220");
            assertThatThrownBy(() -> smtp.startTls(TestCertificates.trusting(stranger.certificate()),
                    TestServer.HOSTNAME)).isInstanceOf(SSLHandshakeException.class);
        }
        try (SmtpDialogue smtp = startTls()) {
            smtp.send("EHLO client.test").expect("250");
        }
    }

    @Test
    void aNewCertificateIsPresentedAtTheNextHandshakeWithoutRestart() throws Exception {
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Pair first = TestCertificates.selfSigned(TestCertificates.ec(), TestServer.HOSTNAME);
        Pair second = TestCertificates.selfSigned(TestCertificates.rsa(), TestServer.HOSTNAME);
        TestCertificates.write(first, KeyFormat.PKCS8, certificate, key);
        SSLContext trustBoth = TestCertificates.trusting(first.certificate(), second.certificate());
        try (TestServer reloading = TestServer.builder()
                .tls(new org.heraldmta.tls.ReloadingServerTls(new org.heraldmta.tls.CertificateFiles(certificate, key)))
                .start()) {
            assertThat(presented(reloading, trustBoth)).isEqualTo(first.certificate());

            TestCertificates.write(second, KeyFormat.TRADITIONAL, certificate, key);

            assertThat(presented(reloading, trustBoth)).isEqualTo(second.certificate());
        }
    }

    private static X509Certificate presented(TestServer server, SSLContext trust) throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("STARTTLS").expect("220");
            smtp.startTls(trust, TestServer.HOSTNAME);
            smtp.send("EHLO client.test").expect("250");
            return (X509Certificate) smtp.tlsSession().orElseThrow().getPeerCertificates()[0];
        }
    }

    /** A client socket over the dialogue's connection that offers only the given protocol versions. */
    private static SSLSocket wrapWithProtocols(SmtpDialogue smtp, SSLContext trust, String... protocols)
            throws IOException {
        Socket plain = smtp.socketForTests();
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(plain, TestServer.HOSTNAME,
                plain.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(protocols);
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** A TLS 1.1 ClientHello: record version 3.1, client_version 3.2, no supported_versions extension. */
    private static byte[] tlsOneOneClientHello() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] suites = {(byte) 0xc0, 0x13, (byte) 0xc0, 0x14, 0x00, 0x2f, 0x00, 0x35};
        // extensions: supported_groups (secp256r1) and ec_point_formats (uncompressed)
        byte[] extensions = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00};
        int bodyLength = 2 + 32 + 1 + 2 + suites.length + 2 + 2 + extensions.length;
        java.io.ByteArrayOutputStream hello = new java.io.ByteArrayOutputStream();
        hello.write(0x16);
        hello.write(0x03);
        hello.write(0x01);
        int handshakeLength = 4 + bodyLength;
        hello.write(handshakeLength >> 8);
        hello.write(handshakeLength & 0xff);
        hello.write(0x01); // ClientHello
        hello.write(0);
        hello.write(bodyLength >> 8);
        hello.write(bodyLength & 0xff);
        hello.write(0x03);
        hello.write(0x02); // TLS 1.1
        hello.writeBytes(random);
        hello.write(0); // no session id
        hello.write(0);
        hello.write(suites.length);
        hello.writeBytes(suites);
        hello.write(1);
        hello.write(0); // null compression
        hello.write(0);
        hello.write(extensions.length);
        hello.writeBytes(extensions);
        return hello.toByteArray();
    }
}
