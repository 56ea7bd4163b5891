package org.heraldmta.smtpd;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client's byte stream with a buffer of our own and a bounded line reader. Never holds more than one buffer
 * plus one command line, whatever the client sends.
 *
 * <p>The buffer is ours (not a {@link java.io.BufferedInputStream}) because the session needs to know whether the
 * client has sent more than we have read ({@link #hasPendingInput()}, for pipelining) and, for STARTTLS later,
 * to throw away what a client sent ahead of the handshake.
 *
 * <p>Before every read that may block, {@link #beforeBlockingRead} runs: the session flushes its pending
 * replies there, so replies to pipelined commands go out in one write, and never wait behind a blocked read.
 */
final class SmtpInput {

    /** How far past the limit an overlong line is drained before the client is taken for a flood. */
    static final int FLOOD_FACTOR = 128;

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /** Sets the socket's read timeout. */
    @FunctionalInterface
    interface ReadTimeout {
        void set(int millis) throws IOException;
    }

    private final InputStream in;
    private final IoAction beforeBlockingRead;
    private final ReadTimeout readTimeout;
    private long deadlineNanos;
    private boolean hasDeadline;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;

    SmtpInput(InputStream in, IoAction beforeBlockingRead) {
        this(in, beforeBlockingRead, millis -> { });
    }

    SmtpInput(InputStream in, IoAction beforeBlockingRead, ReadTimeout readTimeout) {
        this.in = in;
        this.beforeBlockingRead = beforeBlockingRead;
        this.readTimeout = readTimeout;
    }

    /** The next byte, or -1 at the end of the stream. */
    int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /**
     * For the DATA reader, which scans the buffer in place rather than a byte at a time: makes sure at least one
     * byte is buffered, reading (and blocking) when none is; false at the end of the stream. The buffered bytes are
     * then {@link #buffer()}[{@link #position()} .. {@link #limit()}), and {@link #consumeTo} says how far they
     * were used.
     */
    boolean fillIfEmpty() throws IOException {
        return position < limit || fill();
    }

    byte[] buffer() {
        return buffer;
    }

    int position() {
        return position;
    }

    int limit() {
        return limit;
    }

    /** Marks the buffered bytes before {@code newPosition} as read. */
    void consumeTo(int newPosition) {
        if (newPosition < position || newPosition > limit) {
            throw new IllegalArgumentException("position " + newPosition + " is outside " + position + ".." + limit);
        }
        position = newPosition;
    }

    /** True when the client has sent bytes that we have not read yet (in our buffer or the socket's). */
    boolean hasPendingInput() throws IOException {
        return position < limit || in.available() > 0;
    }

    /** Throws away what is buffered; returns how many bytes that was. */
    int discardBuffered() {
        int dropped = limit - position;
        position = limit;
        return dropped;
    }

    private boolean fill() throws IOException {
        if (in.available() <= 0) {
            beforeBlockingRead.run();
        }
        if (hasDeadline) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("command line not complete in time");
            }
            readTimeout.set((int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, 1, Integer.MAX_VALUE));
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /**
     * Reads one line ending in LF. A line counts its CRLF towards {@code maxOctets} (RFC 5321 §4.5.3.1.4 counts
     * 512 octets with the CRLF). The line is always consumed to its LF, so the session stays in step.
     */
    InputLine readLine(int maxOctets) throws IOException {
        return readLine(maxOctets, null);
    }

    /**
     * As {@link #readLine(int)}, but the whole line must arrive within {@code within} (when not null), however
     * the client spreads its bytes: a client trickling a byte at a time (slowloris) cannot hold the session beyond
     * the command timeout. Throws {@link SocketTimeoutException} when it does not.
     */
    InputLine readLine(int maxOctets, Duration within) throws IOException {
        hasDeadline = within != null;
        deadlineNanos = hasDeadline ? System.nanoTime() + within.toNanos() : 0;
        try {
            return readLineNow(maxOctets);
        } finally {
            hasDeadline = false;
        }
    }

    private InputLine readLineNow(int maxOctets) throws IOException {
        byte[] line = new byte[maxOctets];
        long count = 0;
        int previous = -1;
        boolean bareCr = false;
        boolean nul = false;
        long floodLimit = (long) maxOctets * FLOOD_FACTOR;
        while (true) {
            int b = read();
            if (b < 0) {
                return new InputLine.EndOfStream();
            }
            count++;
            if (b == '\n') {
                if (count > maxOctets) {
                    return new InputLine.TooLong();
                }
                if (previous != '\r') {
                    return new InputLine.Malformed("bare <LF> received; command lines must end with <CR><LF>");
                }
                if (bareCr) {
                    return new InputLine.Malformed("bare <CR> received in command line");
                }
                if (nul) {
                    return new InputLine.Malformed("NUL byte received in command line");
                }
                return decode(line, (int) count - 2);
            }
            if (previous == '\r') {
                bareCr = true;
            }
            if (b == 0) {
                nul = true;
            }
            if (count <= maxOctets) {
                line[(int) count - 1] = (byte) b;
            } else if (count > floodLimit) {
                return new InputLine.Flood();
            }
            previous = b;
        }
    }

    private static InputLine decode(byte[] line, int length) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, 0, length))
                    .toString();
            return new InputLine.Text(text);
        } catch (CharacterCodingException e) {
            return new InputLine.Malformed("command line is not valid UTF-8");
        }
    }
}
