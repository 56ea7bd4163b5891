package org.heraldmta.smtpd;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.heraldmta.auth.Authenticator;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.config.SmtpSettings;
import org.heraldmta.spool.SpooledMessage;
import org.heraldmta.testkit.InMemorySpool;
import org.heraldmta.testkit.SmtpDialogue;
import org.heraldmta.tls.ServerTls;

/** An {@link SmtpServer} on 127.0.0.1 port 0 over an {@link InMemorySpool}, with a fixed clock, for tests. */
final class TestServer implements AutoCloseable {

    static final Instant NOW = Instant.parse("2025-06-03T10:15:30Z");
    static final String HOSTNAME = "mx.herald.test";

    /** What the listener heard. */
    record Accepted(SpooledMessage message, String clientIp, long size) {
    }

    final InMemorySpool spool = new InMemorySpool();
    final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    final SmtpServer server;

    private TestServer(Builder builder) throws IOException {
        SmtpSettings settings = new SmtpSettings(List.of(new ListenAddress("127.0.0.1", 0)), builder.maxMessageSize,
                builder.maxRecipients, builder.commandTimeout, builder.dataTimeout,
                builder.implicitTls ? List.of(new ListenAddress("127.0.0.1", 0)) : List.of(),
                builder.authWithoutTlsOnLoopback);
        server = new SmtpServer(settings, SessionLimits.DEFAULTS, HOSTNAME, builder.access,
                new SmtpSecurity(Optional.ofNullable(builder.tls), Optional.ofNullable(builder.authenticator)), spool,
                builder.clock, (message, ip, size) -> accepted.add(new Accepted(message, ip, size)));
        server.start();
    }

    static Builder builder() {
        return new Builder();
    }

    static TestServer start() throws IOException {
        return builder().start();
    }

    int port() {
        return server.port();
    }

    int tlsPort() {
        return server.boundTlsAddresses().get(0).getPort();
    }

    SmtpDialogue connect() throws IOException {
        return SmtpDialogue.connect("127.0.0.1", port());
    }

    /** Connected, greeted and past EHLO. */
    SmtpDialogue greeted() throws IOException {
        SmtpDialogue dialogue = connect();
        dialogue.expect("220");
        dialogue.send("EHLO client.test").expect("250");
        return dialogue;
    }

    SpooledMessage onlyMessage() {
        List<SpooledMessage> messages = List.copyOf(spool.messages());
        if (messages.size() != 1) {
            throw new AssertionError("expected one message in the spool, found " + messages.size());
        }
        return messages.get(0);
    }

    String onlyContent() {
        return spool.contentAsString(onlyMessage().id());
    }

    @Override
    public void close() {
        server.close();
    }

    static final class Builder {
        private long maxMessageSize = 1_000_000;
        private int maxRecipients = 100;
        private Duration commandTimeout = Duration.ofSeconds(30);
        private Duration dataTimeout = Duration.ofSeconds(30);
        private AccessSettings access = AccessSettings.DEFAULTS;
        private ServerTls tls;
        private Authenticator authenticator;
        private boolean implicitTls;
        private boolean authWithoutTlsOnLoopback;
        private InstantSource clock = InstantSource.fixed(NOW);

        /** STARTTLS with this certificate. */
        Builder tls(ServerTls serverTls) {
            tls = serverTls;
            return this;
        }

        /** An implicit TLS listener on 127.0.0.1 port 0 too (needs {@link #tls}). */
        Builder implicitTls() {
            implicitTls = true;
            return this;
        }

        Builder authenticator(Authenticator users) {
            authenticator = users;
            return this;
        }

        Builder authWithoutTlsOnLoopback(boolean allowed) {
            authWithoutTlsOnLoopback = allowed;
            return this;
        }

        Builder clock(InstantSource source) {
            clock = source;
            return this;
        }

        Builder maxMessageSize(long bytes) {
            maxMessageSize = bytes;
            return this;
        }

        Builder maxRecipients(int count) {
            maxRecipients = count;
            return this;
        }

        Builder commandTimeout(Duration timeout) {
            commandTimeout = timeout;
            return this;
        }

        Builder dataTimeout(Duration timeout) {
            dataTimeout = timeout;
            return this;
        }

        Builder access(AccessSettings settings) {
            access = settings;
            return this;
        }

        TestServer start() throws IOException {
            return new TestServer(this);
        }
    }
}
