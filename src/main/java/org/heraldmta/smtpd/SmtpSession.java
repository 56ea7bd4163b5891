package org.heraldmta.smtpd;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.heraldmta.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, from the greeting (or, on an implicit TLS listener, the handshake) to QUIT, a timeout, too
 * many errors or commands, or a lost connection. Runs on its own virtual thread; everything in it belongs to that
 * thread except {@link #closeIfStuck} and {@link #abort}, which the server may call from elsewhere.
 *
 * <p>Each command line is read with a bound, handed to the handler of its verb, and answered. Replies are flushed
 * only when the client has sent nothing more (see {@link SmtpInput}), which batches the replies of pipelined
 * commands.
 *
 * <p>STARTTLS: after its 220 reply is flushed, whatever the client sent after the STARTTLS line and we already read
 * is thrown away (CVE-2011-0411, plaintext command injection), the handshake runs on the raw socket, and reading
 * starts again with a fresh buffer over the TLS stream.
 */
final class SmtpSession implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    /** The TCP connection; closing it ends everything layered on it. */
    private final Socket rawSocket;
    private final boolean implicitTls;
    private final ServerContext server;
    private final CommandTable commands;
    private final SessionState state;
    private volatile ReplyWriter writer;
    private SmtpInput input;
    private boolean closing;
    private boolean startTlsAfterReply;
    /** System.nanoTime() by which a running handshake must be done; 0 when none runs. */
    private volatile long handshakeDeadlineNanos;

    SmtpSession(Socket socket, ServerContext server, CommandTable commands, boolean implicitTls) {
        this.rawSocket = socket;
        this.implicitTls = implicitTls;
        this.server = server;
        this.commands = commands;
        this.state = new SessionState(socket.getInetAddress(), socket.getLocalAddress());
    }

    SmtpSession(Socket socket, ServerContext server, CommandTable commands) {
        this(socket, server, commands, false);
    }

    @Override
    public void run() {
        try {
            if (implicitTls) {
                if (!handshake()) {
                    return;
                }
            } else {
                openStreams(rawSocket);
            }
            send(SmtpReply.of(220, server.hostname() + " ESMTP Herald"));
            writer.flush();
            while (!closing) {
                InputLine line = input.readLine(server.limits().maxCommandLine(), server.settings().commandTimeout());
                if (line instanceof InputLine.EndOfStream) {
                    return; // the client went away
                }
                SmtpReply reply;
                if (state.countCommand() > server.access().limits().maxCommandsPerSession()) {
                    log.info("{} sent more than {} commands, disconnecting", state.clientIp(),
                            server.access().limits().maxCommandsPerSession());
                    closing = true;
                    reply = SmtpReply.of(421, "4.7.0", server.hostname() + " Error: too many commands; closing connection");
                } else {
                    reply = switch (line) {
                        case InputLine.Text text -> dispatch(text.text());
                        case InputLine.TooLong tooLong -> Replies.LINE_TOO_LONG;
                        case InputLine.Malformed malformed -> Replies.badSyntax(malformed.reason());
                        case InputLine.Flood flood -> {
                            closing = true;
                            yield SmtpReply.of(421, "4.7.0", server.hostname() + " Error: line flood; closing connection");
                        }
                        case InputLine.EndOfStream end -> throw new IllegalStateException("handled above");
                    };
                }
                send(reply);
                if (reply.isPermanentFailure() && state.countError() >= server.limits().maxErrors() && !closing) {
                    closing = true;
                    send(Replies.tooManyErrors(server.hostname()));
                }
                if (startTlsAfterReply && !closing) {
                    startTlsAfterReply = false;
                    if (!startTls()) {
                        return;
                    }
                }
            }
            writer.flush();
        } catch (SocketTimeoutException e) {
            log.info("timeout, disconnecting {}", state.clientIp());
            sayGoodbye(Replies.timeout(server.hostname()));
        } catch (EOFException e) {
            log.info("{} disconnected in the middle of a command", state.clientIp());
        } catch (IOException e) {
            log.debug("connection with {} failed: {}", state.clientIp(), e.toString());
        } catch (RuntimeException e) {
            log.error("session with {} failed", state.clientIp(), e);
            sayGoodbye(SmtpReply.of(421, "4.3.0", server.hostname() + " Error: internal error"));
        } finally {
            abort(); // closed only here, so that the goodbyes above still reach the client
        }
    }

    private void openStreams(Socket socket) throws IOException {
        ReplyWriter newWriter = new ReplyWriter(socket.getOutputStream());
        input = new SmtpInput(socket.getInputStream(), newWriter::flush, rawSocket::setSoTimeout);
        writer = newWriter;
    }

    /** After the 220 reply to STARTTLS: drop what the client sent ahead, then the handshake. */
    private boolean startTls() throws IOException {
        writer.flush();
        int dropped = input.discardBuffered();
        if (dropped > 0) {
            // CVE-2011-0411: these bytes came in the clear and must not be taken as commands sent under TLS.
            log.info("{} sent {} bytes after STARTTLS before the handshake; discarded", state.clientIp(), dropped);
        }
        input = null;
        return handshake();
    }

    /** Runs the TLS handshake over the raw socket; on success the session reads and writes through TLS. */
    private boolean handshake() throws IOException {
        SSLSocket tls = server.security().tls().orElseThrow().wrap(rawSocket);
        Duration timeout = server.settings().commandTimeout();
        readTimeout(timeout);
        handshakeDeadlineNanos = System.nanoTime() + timeout.toNanos();
        try {
            tls.startHandshake();
        } catch (IOException e) {
            log.info("TLS handshake with {} failed: {}", state.clientIp(), e.getMessage());
            return false;
        } finally {
            handshakeDeadlineNanos = 0;
        }
        state.tlsStarted(tls.getSession().getProtocol());
        log.debug("{}: {} with {}", state.clientIp(), tls.getSession().getProtocol(), tls.getSession().getCipherSuite());
        openStreams(tls);
        return true;
    }

    private SmtpReply dispatch(String line) throws IOException {
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        if (verb.isEmpty()) {
            return Replies.badSyntax("bad syntax");
        }
        return commands.handlerFor(verb).handle(this, argument);
    }

    private void sayGoodbye(SmtpReply reply) {
        try {
            if (writer != null) {
                send(reply);
                writer.flush();
            }
        } catch (IOException | RuntimeException ignored) {
            // the connection is already gone; nothing more to say
        }
    }

    ServerContext server() {
        return server;
    }

    SessionState state() {
        return state;
    }

    SmtpInput input() {
        return input;
    }

    /** Queues a reply; it goes out at the next flush. Handlers use it for intermediate replies such as 354. */
    void send(SmtpReply reply) throws IOException {
        writer.send(reply);
    }

    void readTimeout(Duration timeout) throws IOException {
        rawSocket.setSoTimeout((int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
    }

    /** The session ends after the reply to the current command. */
    void closeAfterReply() {
        closing = true;
    }

    /** The TLS handshake starts once the reply to the current command has been flushed. */
    void startTlsAfterReply() {
        startTlsAfterReply = true;
    }

    /**
     * Called by the server's watchdog: closes the connection when a reply has not been taken for too long, or a TLS
     * handshake has run past its time (a client trickling its handshake a byte at a time).
     */
    boolean closeIfStuck(long limitNanos, long nowNanos) {
        ReplyWriter current = writer;
        long handshakeDeadline = handshakeDeadlineNanos;
        boolean stuckWriting = current != null && current.stuckLongerThan(limitNanos, nowNanos);
        boolean slowHandshake = handshakeDeadline != 0 && nowNanos - handshakeDeadline > 0;
        if (stuckWriting || slowHandshake) {
            log.info("{} {}, disconnecting", state.clientIp(),
                    stuckWriting ? "stopped reading replies" : "did not finish the TLS handshake in time");
            abort();
            return true;
        }
        return false;
    }

    /** Closes the connection from any thread; the session's thread then ends. */
    void abort() {
        try {
            rawSocket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    /** The client's address, for the server's connection count. */
    java.net.InetAddress clientAddress() {
        return state.clientAddress();
    }
}
