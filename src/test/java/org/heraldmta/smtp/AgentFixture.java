package org.heraldmta.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.heraldmta.dns.MxResolver;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.junit.jupiter.api.AfterEach;

/** Shared set-up of the SMTP client tests: agents with short time-outs, peers closed after each test. */
abstract class AgentFixture {

    /** A clock that moves a millisecond each time it is read: timestamps are distinct and predictable. */
    static final class TickingClock implements InstantSource {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2025-03-01T12:00:00Z").toEpochMilli());

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.getAndIncrement());
        }
    }

    static final Duration SHORT = Duration.ofSeconds(5);

    final TickingClock clock = new TickingClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    SmtpDeliveryAgent agent(MxResolver dns) {
        return agent(dns, SmtpClientSettings.DEFAULTS.withTimeouts(SmtpClientTimeouts.all(SHORT)));
    }

    SmtpDeliveryAgent agent(MxResolver dns, SmtpClientSettings settings) {
        return remember(new SmtpDeliveryAgent(dns, settings, clock));
    }

    SmtpDeliveryAgent agent(MxResolver dns, SmtpClientSettings settings, SSLContext relayTrust) {
        return remember(new SmtpDeliveryAgent(dns, settings, relayTrust, clock));
    }

    FakeSmtpPeer peer() throws IOException {
        return remember(FakeSmtpPeer.start());
    }

    <T extends AutoCloseable> T remember(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** A port on 127.0.0.1 where nothing listens: connecting is refused. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        }
    }

    static String transcriptText(DeliveryReport report) {
        StringBuilder text = new StringBuilder();
        for (Transcript.Line line : report.transcript()) {
            text.append(line.kind()).append(' ').append(line.text()).append('\n');
        }
        return text.toString();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }
}
