package org.heraldmta.smtpd;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.heraldmta.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, from the greeting to QUIT, a timeout, too many errors or a lost connection. Runs on its
 * own virtual thread; everything in it belongs to that thread except {@link #closeIfStuck} and {@link #abort},
 * which the server may call from elsewhere.
 *
 * <p>Each command line is read with a bound, handed to the handler of its verb, and answered. Replies are flushed
 * only when the client has sent nothing more (see {@link SmtpInput}), which batches the replies of pipelined
 * commands.
 */
final class SmtpSession implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final Socket socket;
    private final ServerContext server;
    private final CommandTable commands;
    private final SessionState state;
    private final ReplyWriter writer;
    private final SmtpInput input;
    private boolean closing;

    SmtpSession(Socket socket, ServerContext server, CommandTable commands) throws IOException {
        this.socket = socket;
        this.server = server;
        this.commands = commands;
        this.state = new SessionState(socket.getInetAddress());
        this.writer = new ReplyWriter(socket.getOutputStream());
        this.input = new SmtpInput(socket.getInputStream(), writer::flush, socket::setSoTimeout);
    }

    @Override
    public void run() {
        try {
            send(SmtpReply.of(220, server.hostname() + " ESMTP Herald"));
            writer.flush();
            while (!closing) {
                InputLine line = input.readLine(server.limits().maxCommandLine(), server.settings().commandTimeout());
                SmtpReply reply = switch (line) {
                    case InputLine.Text text -> dispatch(text.text());
                    case InputLine.TooLong tooLong -> Replies.LINE_TOO_LONG;
                    case InputLine.Malformed malformed -> Replies.badSyntax(malformed.reason());
                    case InputLine.Flood flood -> {
                        closing = true;
                        yield SmtpReply.of(421, "4.7.0", server.hostname() + " Error: line flood; closing connection");
                    }
                    case InputLine.EndOfStream end -> null;
                };
                if (reply == null) {
                    return; // the client went away
                }
                send(reply);
                if (reply.isPermanentFailure() && state.countError() >= server.limits().maxErrors() && !closing) {
                    closing = true;
                    send(Replies.tooManyErrors(server.hostname()));
                }
            }
            writer.flush();
        } catch (SocketTimeoutException e) {
            log.info("timeout, disconnecting {}", state.clientIp());
            sayGoodbye(Replies.timeout(server.hostname()));
        } catch (EOFException e) {
            log.info("{} disconnected during DATA", state.clientIp());
        } catch (IOException e) {
            log.debug("connection with {} failed: {}", state.clientIp(), e.toString());
        } catch (RuntimeException e) {
            log.error("session with {} failed", state.clientIp(), e);
            sayGoodbye(SmtpReply.of(421, "4.3.0", server.hostname() + " Error: internal error"));
        } finally {
            abort(); // closed only here, so that the goodbyes above still reach the client
        }
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
            send(reply);
            writer.flush();
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
        socket.setSoTimeout((int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
    }

    /** The session ends after the reply to the current command. */
    void closeAfterReply() {
        closing = true;
    }

    /** Called by the server's watchdog: closes the connection when a reply has not been taken for too long. */
    boolean closeIfStuck(long limitNanos, long nowNanos) {
        if (writer.stuckLongerThan(limitNanos, nowNanos)) {
            log.info("{} stopped reading replies, disconnecting", state.clientIp());
            abort();
            return true;
        }
        return false;
    }

    /** Closes the connection from any thread; the session's thread then ends. */
    void abort() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
