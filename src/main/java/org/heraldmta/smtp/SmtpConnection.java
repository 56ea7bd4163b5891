package org.heraldmta.smtp;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.mail.SmtpReply;

/**
 * One TCP (and maybe TLS) connection to an SMTP server: sends command lines, reads bounded replies, upgrades to
 * TLS, and writes dot-stuffed content; every line goes to the current attempt's log. Used by one attempt at a time
 * (a pooled connection is handed to the next attempt with {@link #attach}).
 */
final class SmtpConnection implements Closeable {

    private final Target target;
    private final WriteWatchdog watchdog;
    private Socket socket;
    private int transactions;
    private ReplyReader reader;
    private GuardedOutputStream guarded;
    private BufferedOutputStream out;
    private AttemptLog log;
    private ServerCapabilities capabilities = ServerCapabilities.HELO_ONLY;
    private boolean tls;

    private SmtpConnection(Target target, Socket socket, WriteWatchdog watchdog, AttemptLog log,
                           Duration writeTimeout) throws IOException {
        this.target = target;
        this.watchdog = watchdog;
        this.log = log;
        useStreams(socket, writeTimeout);
    }

    /** Opens a TCP connection to the target's IP address (never a name: nothing is resolved here). */
    static SmtpConnection connect(Target target, Duration timeout, WriteWatchdog watchdog, AttemptLog log,
                                  java.util.Optional<java.net.InetAddress> source) throws IOException {
        log.info("connecting to " + target.describe() + source.map(s -> " from " + s.getHostAddress()).orElse(""));
        long start = System.nanoTime();
        Socket socket = new Socket();
        try {
            if (source.isPresent()) {
                socket.bind(new java.net.InetSocketAddress(source.get(), 0));
            }
            socket.connect(target.socketAddress(), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            socket.setTcpNoDelay(true);
            log.info("connected in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            return new SmtpConnection(target, socket, watchdog, log, timeout);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void useStreams(Socket newSocket, Duration writeTimeout) throws IOException {
        this.socket = newSocket;
        this.reader = new ReplyReader(newSocket, newSocket.getInputStream());
        this.guarded = new GuardedOutputStream(newSocket.getOutputStream(), newSocket, watchdog, writeTimeout);
        this.out = new BufferedOutputStream(guarded, 16 * 1024);
    }

    /** Counts a transaction begun on this connection; returns how many it has carried. */
    int countTransaction() {
        return ++transactions;
    }

    int transactions() {
        return transactions;
    }

    Target target() {
        return target;
    }

    void attach(AttemptLog newLog) {
        this.log = newLog;
    }

    AttemptLog log() {
        return log;
    }

    ServerCapabilities capabilities() {
        return capabilities;
    }

    void capabilities(ServerCapabilities newCapabilities) {
        this.capabilities = newCapabilities;
    }

    boolean isTls() {
        return tls;
    }

    boolean isOpen() {
        return !socket.isClosed();
    }

    SmtpReply read(Duration timeout) throws IOException {
        return reader.read(timeout, log::received);
    }

    /** Queues a command line (sent at the next {@link #flush}); {@code shown} is what the transcript gets. */
    void write(String line, String shown) throws IOException {
        log.sent(shown);
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void flush(Duration timeout) throws IOException {
        guarded.timeout(timeout);
        out.flush();
    }

    SmtpReply command(String line, Duration timeout) throws IOException {
        return command(line, line, timeout);
    }

    SmtpReply command(String line, String shown, Duration timeout) throws IOException {
        write(line, shown);
        flush(timeout);
        return read(timeout);
    }

    /**
     * Starts TLS on this connection (after a 220 to STARTTLS, or at once for implicit TLS). With {@code verify} the
     * certificate must chain to {@code context}'s trust anchors and name the target host; without it anything is
     * accepted (opportunistic TLS: encryption against passive listeners only) and the transcript says so.
     */
    void startTls(SSLContext context, boolean verify, Duration timeout) throws IOException {
        String host = target.host();
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, target.port(), true);
        ssl.setUseClientMode(true);
        SSLParameters parameters = ssl.getSSLParameters();
        if (verify) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!IpLiterals.isLiteral(host)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException notAHostName) {
                // no SNI for a name SNI cannot carry
            }
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        ssl.startHandshake();
        // Anything the server sent before the handshake is dropped with the old reader (RFC 3207 §4.2).
        useStreams(ssl, timeout);
        tls = true;
        SSLSession session = ssl.getSession();
        log.info("TLS " + session.getProtocol() + " " + session.getCipherSuite() + ", " + peerSubject(session)
                + (verify ? ", certificate verified for " + host
                        : ", certificate not verified (opportunistic TLS for direct delivery)"));
    }

    private static String peerSubject(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
                return "server certificate " + x509.getSubjectX500Principal().getName();
            }
        } catch (SSLPeerUnverifiedException e) {
            return "no server certificate";
        }
        return "server certificate of unknown type";
    }

    /**
     * Writes the message content, dot-stuffed with CRLF line ends, then the terminating dot. Each block written
     * must be taken by the server within {@code blockTimeout}. A failure to read the content is thrown as
     * {@link ContentUnreadableException}, apart from network failures.
     */
    long sendContent(InputStream content, Duration blockTimeout) throws IOException {
        guarded.timeout(blockTimeout);
        DotStuffingOutputStream stuffed = new DotStuffingOutputStream(out);
        byte[] chunk = new byte[16 * 1024];
        while (true) {
            int read;
            try {
                read = content.read(chunk);
            } catch (IOException e) {
                throw new ContentUnreadableException(e);
            }
            if (read < 0) {
                break;
            }
            stuffed.write(chunk, 0, read);
        }
        stuffed.finish();
        log.sent("(message content, " + stuffed.contentBytes() + " bytes)");
        log.sent(".");
        return stuffed.contentBytes();
    }

    /** Says goodbye if the connection still works, and closes it. Never throws. */
    void quit(Duration timeout) {
        try {
            if (isOpen()) {
                command("QUIT", timeout);
            }
        } catch (IOException | RuntimeException e) {
            // the server may already be gone; closing is what matters
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do for a socket that will not close
        }
    }

    /** The spooled content could not be read: a local problem, not the server's. */
    static final class ContentUnreadableException extends IOException {
        ContentUnreadableException(IOException cause) {
            super("cannot read the message content: " + cause.getMessage(), cause);
        }
    }
}
