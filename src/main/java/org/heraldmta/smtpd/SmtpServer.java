package org.heraldmta.smtpd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.config.SmtpSettings;
import org.heraldmta.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound ESMTP server (RFC 5321): listens on the configured addresses and runs one {@link SmtpSession} per
 * connection on a virtual thread. Messages go into the {@link Spool}; the {@link MessageAcceptedListener} hears of
 * each one after it is committed.
 *
 * <p>Call order: {@link #start()} once, then {@link #boundAddresses()} as needed, then {@link #close()} (or
 * {@link #stop()}), which stops accepting and cuts every open session; a message whose DATA was not finished is
 * thrown away, and one already answered with 250 is safe in the spool.
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final ServerContext context;
    private final CommandTable commands = new CommandTable();
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    public SmtpServer(SmtpSettings settings, String hostname, AccessSettings access, Spool spool, InstantSource clock,
                      MessageAcceptedListener listener) {
        this(settings, SessionLimits.DEFAULTS, hostname, access, spool, clock, listener);
    }

    public SmtpServer(SmtpSettings settings, SessionLimits limits, String hostname, AccessSettings access, Spool spool,
                      InstantSource clock, MessageAcceptedListener listener) {
        if (hostname == null || hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("hostname must be a non-empty ASCII name without spaces: " + hostname);
        }
        this.context = new ServerContext(Objects.requireNonNull(settings), Objects.requireNonNull(limits), hostname,
                Objects.requireNonNull(access), Objects.requireNonNull(spool), Objects.requireNonNull(clock),
                Objects.requireNonNull(listener));
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
                ServerSocket socket = new ServerSocket();
                listeners.add(socket);
                socket.setReuseAddress(true);
                socket.bind(address.socketAddress(), 256);
            }
        } catch (IOException e) {
            closeListeners();
            throw new IOException("cannot listen for SMTP: " + e.getMessage(), e);
        }
        running = true;
        for (ServerSocket socket : listeners) {
            threads.add(Thread.ofVirtual().name("smtpd-accept-" + socket.getLocalSocketAddress())
                    .start(() -> acceptLoop(socket)));
            log.info("SMTP listening on {}", socket.getLocalSocketAddress());
        }
        threads.add(Thread.ofVirtual().name("smtpd-watchdog").start(this::watchStuckWrites));
    }

    /** The addresses actually bound, in the order of the settings (with the real port when port 0 was asked). */
    public synchronized List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(s -> (InetSocketAddress) s.getLocalSocketAddress()).toList();
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

    private void acceptLoop(ServerSocket listener) {
        while (running) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (running) {
                    log.warn("accept on {} failed: {}", listener.getLocalSocketAddress(), e.toString());
                    continue;
                }
                return;
            }
            try {
                client.setTcpNoDelay(true);
                SmtpSession session = new SmtpSession(client, context, commands);
                sessions.add(session);
                Thread.ofVirtual().name("smtpd-" + client.getRemoteSocketAddress()).start(() -> {
                    try {
                        session.run();
                    } finally {
                        sessions.remove(session);
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                log.warn("cannot start a session with {}: {}", client.getRemoteSocketAddress(), e.toString());
                closeQuietly(client);
            }
        }
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
        listeners.forEach(SmtpServer::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is all we wanted
        }
    }
}
