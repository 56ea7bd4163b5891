package org.heraldmta.smtpd;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.heraldmta.mail.SmtpReply;

/**
 * Collects replies and writes them when the session flushes, so that the replies to a pipelined group of commands
 * leave in one TCP segment (RFC 2920 §3.2).
 *
 * <p>A socket write has no timeout in Java; a client that stops reading would hold the session forever. The writer
 * therefore records when a write to the socket started, and the server's watchdog closes the socket of a session whose flush
 * has been stuck for longer than the command timeout. That uses the monotonic {@link System#nanoTime()}, like
 * the socket's own read timeouts, not the injected clock (which tests may stop).
 */
final class ReplyWriter {

    private final OutputStream out;
    private volatile long flushStartedNanos;
    private volatile boolean flushing;

    ReplyWriter(OutputStream socketOutput) {
        this.out = new BufferedOutputStream(socketOutput, 8 * 1024);
    }

    /** Queues a reply; when the buffer is full this writes to the socket and may block like a flush. */
    void send(SmtpReply reply) throws IOException {
        byte[] bytes = reply.toWire().getBytes(StandardCharsets.UTF_8);
        watched(() -> out.write(bytes));
    }

    void flush() throws IOException {
        watched(out::flush);
    }

    private void watched(SmtpInput.IoAction write) throws IOException {
        flushStartedNanos = System.nanoTime();
        flushing = true;
        try {
            write.run();
        } finally {
            flushing = false;
        }
    }

    /** True while a flush has been blocked for longer than {@code limitNanos}. */
    boolean stuckLongerThan(long limitNanos, long nowNanos) {
        return flushing && nowNanos - flushStartedNanos > limitNanos;
    }
}
