package org.heraldmta.smtpd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.config.SmtpSettings;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound ESMTP server (RFC 5321): listens on the configured addresses (plain, with STARTTLS when a
 * certificate is available, and implicit TLS) and runs one {@link SmtpSession} per connection on a virtual thread.
 * Messages go into the {@link Spool}; the {@link MessageAcceptedListener} hears of each one after it is committed.
 *
 * <p>Connections beyond {@code max_connections} in total or {@code max_connections_per_ip} from one address are
 * answered {@code 421 4.7.0} and closed at once.
 *
 * <p>Call order: {@link #start()} once, then {@link #boundAddresses()} as needed, then {@link #close()} (or
 * {@link #stop()}), which stops accepting and cuts every open session; a message whose DATA was not finished is
 * thrown away, and one already answered with 250 is safe in the spool.
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    /** One bound socket and whether TLS starts at once on its connections. */
    private record Listener(ServerSocket socket, boolean implicitTls) {
    }

    private final ServerContext context;
    private final CommandTable commands = new CommandTable();
    private final ConnectionLimiter connections;
    private final List<Listener> listeners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    public SmtpServer(SmtpSettings settings, String hostname, AccessSettings access, Spool spool, InstantSource clock,
                      MessageAcceptedListener listener) {
        this(settings, SessionLimits.DEFAULTS, hostname, access, spool, clock, listener);
    }

    /** Without TLS or AUTH ({@link SmtpSecurity#NONE}). */
    public SmtpServer(SmtpSettings settings, SessionLimits limits, String hostname, AccessSettings access, Spool spool,
                      InstantSource clock, MessageAcceptedListener listener) {
        this(settings, limits, hostname, access, SmtpSecurity.NONE, spool, clock, listener);
    }

    /**
     * @param security the certificate for STARTTLS and the {@code listen_tls} listeners, and the AUTH users
     * @throws IllegalArgumentException when {@code listen_tls} addresses are configured but no TLS is given
     */
    public SmtpServer(SmtpSettings settings, SessionLimits limits, String hostname, AccessSettings access,
                      SmtpSecurity security, Spool spool, InstantSource clock, MessageAcceptedListener listener) {
        if (hostname == null || hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("hostname must be a non-empty ASCII name without spaces: " + hostname);
        }
        if (!settings.listenTls().isEmpty() && security.tls().isEmpty()) {
            throw new IllegalArgumentException("implicit TLS listeners need a certificate (SmtpSecurity.tls)");
        }
        this.context = new ServerContext(Objects.requireNonNull(settings), Objects.requireNonNull(limits), hostname,
                Objects.requireNonNull(access), security,
                new AuthFailures(access.limits().maxAuthFailures(), access.limits().authFailureWindow(), clock),
                Objects.requireNonNull(spool), Objects.requireNonNull(clock), Objects.requireNonNull(listener));
        this.connections = new ConnectionLimiter(access.limits().maxConnections(),
                access.limits().maxConnectionsPerIp());
    }

    /**
     * Binds every listen address and starts accepting. If one address cannot be bound, none stays bound.
     *
     * @throws IOException when an address cannot be bound (in use, not local)
     */
    public synchronized void start() throws IOException {
        if (running) {
            throw new IllegalStateException("already started");
        }
        try {
            for (ListenAddress address : context.settings().listen()) {
                bind(address, false);
            }
            for (ListenAddress address : context.settings().listenTls()) {
                bind(address, true);
            }
        } catch (IOException e) {
            closeListeners();
            listeners.clear();
            throw new IOException("cannot listen for SMTP: " + e.getMessage(), e);
        }
        running = true;
        for (Listener listener : listeners) {
            threads.add(Thread.ofVirtual().name("smtpd-accept-" + listener.socket().getLocalSocketAddress())
                    .start(() -> acceptLoop(listener)));
            log.info("SMTP{} listening on {}", listener.implicitTls() ? " over TLS" : "",
                    listener.socket().getLocalSocketAddress());
        }
        threads.add(Thread.ofVirtual().name("smtpd-watchdog").start(this::watchStuckWrites));
    }

    private void bind(ListenAddress address, boolean implicitTls) throws IOException {
        ServerSocket socket = new ServerSocket();
        listeners.add(new Listener(socket, implicitTls));
        socket.setReuseAddress(true);
        socket.bind(address.socketAddress(), 256);
    }

    /**
     * The plain (STARTTLS) addresses actually bound, in the order of the settings (with the real port when port 0
     * was asked).
     */
    public synchronized List<InetSocketAddress> boundAddresses() {
        return bound(false);
    }

    /** The implicit TLS addresses actually bound ({@code listen_tls}), in the order of the settings. */
    public synchronized List<InetSocketAddress> boundTlsAddresses() {
        return bound(true);
    }

    private List<InetSocketAddress> bound(boolean implicitTls) {
        return listeners.stream().filter(l -> l.implicitTls() == implicitTls)
                .map(l -> (InetSocketAddress) l.socket().getLocalSocketAddress()).toList();
    }

    /** The port of the first listener: handy when a test listens on port 0. */
    public int port() {
        List<InetSocketAddress> bound = boundAddresses();
        if (bound.isEmpty()) {
            throw new IllegalStateException("not started");
        }
        return bound.get(0).getPort();
    }

    /** Sessions open right now. */
    public int openSessions() {
        return sessions.size();
    }

    /** Stops accepting, closes every session and waits briefly for their threads. Safe to call twice. */
    public void stop() {
        List<Thread> toJoin;
        synchronized (this) {
            running = false;
            closeListeners();
            toJoin = List.copyOf(threads);
            threads.clear();
        }
        sessions.forEach(SmtpSession::abort);
        for (Thread thread : toJoin) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop(Listener listener) {
        while (running) {
            Socket client;
            try {
                client = listener.socket().accept();
            } catch (IOException e) {
                if (running) {
                    log.warn("accept on {} failed: {}", listener.socket().getLocalSocketAddress(), e.toString());
                    continue;
                }
                return;
            }
            InetAddress address = client.getInetAddress();
            Optional<String> refusal = connections.tryAcquire(address);
            if (refusal.isPresent()) {
                refuse(client, listener.implicitTls(), refusal.get());
                continue;
            }
            try {
                client.setTcpNoDelay(true);
                SmtpSession session = new SmtpSession(client, context, commands, listener.implicitTls());
                sessions.add(session);
                Thread.ofVirtual().name("smtpd-" + client.getRemoteSocketAddress()).start(() -> {
                    try {
                        session.run();
                    } finally {
                        sessions.remove(session);
                        connections.release(address);
                    }
                });
            } catch (IOException | UncheckedIOException | RejectedExecutionException e) {
                log.warn("cannot start a session with {}: {}", client.getRemoteSocketAddress(), e.toString());
                connections.release(address);
                closeQuietly(client);
            }
        }
    }

    /**
     * Says 421 and closes, on a thread of its own so that a client that does not read cannot slow the accept loop.
     * On an implicit TLS listener the client expects a handshake, so it is closed without a word.
     */
    private void refuse(Socket client, boolean implicitTls, String reason) {
        String ip = client.getInetAddress().getHostAddress();
        log.info("refused connection from {}: {}", ip, reason);
        Thread.ofVirtual().name("smtpd-refuse-" + ip).start(() -> {
            try (client) {
                if (!implicitTls) {
                    client.setSoTimeout(1000);
                    client.getOutputStream().write(SmtpReply.of(421, "4.7.0", context.hostname() + " Error: "
                            + reason + "; try again later").toWire().getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                }
            } catch (IOException e) {
                log.debug("could not tell {} why: {}", ip, e.toString());
            }
        });
    }

    /**
     * Java's socket writes have no timeout: a client that stops reading our replies would hold its session
     * forever. This closes such sessions once a write has been blocked for the command timeout.
     */
    private void watchStuckWrites() {
        long limitNanos = context.settings().commandTimeout().toNanos();
        Duration interval = Duration.ofMillis(Math.clamp(context.settings().commandTimeout().toMillis() / 4, 10, 1000));
        while (running) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            sessions.forEach(session -> session.closeIfStuck(limitNanos, now));
        }
    }

    private void closeListeners() {
        listeners.forEach(listener -> closeQuietly(listener.socket()));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is all we wanted
        }
    }
}
