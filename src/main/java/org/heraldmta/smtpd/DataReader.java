package org.heraldmta.smtpd;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Reads the message that follows DATA up to its end, undoing dot-stuffing, and streams it to a sink.
 *
 * <p>The end of data is recognised only as CRLF "." CRLF, where the CRLF before the dot is a real CRLF (the
 * message's start counts as one). A bare LF, a bare CR or a NUL anywhere is a {@link Defect}: the sink gets no
 * more bytes, but reading goes on to the real end of data, so the client and server stay in step and nothing the
 * client hid behind a fake end (SMTP smuggling: {@code \n.\n}, {@code \r.\r}, {@code \r\n.\n}, {@code \n.\r\n})
 * is ever taken for a command or a second message.
 *
 * <p>Lines longer than the 1000 octets of RFC 5321 §4.5.3.1.6 are accepted as they are, as Postfix does: nothing
 * here holds a line in memory, and refusing them would bounce mail that real clients send.
 *
 * <p>A message that grows beyond {@code maxSize} is read and discarded to its end without keeping its bytes.
 * A failing sink (a full disk) is remembered and reading goes on, for the same reason.
 */
final class DataReader {

    /** Why a message cannot be accepted as it was sent. */
    enum Defect {
        BARE_LF("bare <LF> received; lines must end with <CR><LF>"),
        BARE_CR("bare <CR> received; lines must end with <CR><LF>"),
        NUL("NUL byte received");

        final String reason;

        Defect(String reason) {
            this.reason = reason;
        }
    }

    /**
     * What reading found.
     *
     * @param size        bytes of the message after dot-unstuffing (all of them, also those not written)
     * @param tooBig      the message grew beyond the limit
     * @param defect      the first defect found
     * @param sinkFailure the first error the sink threw
     */
    record Outcome(long size, boolean tooBig, Optional<Defect> defect, Optional<IOException> sinkFailure) {
    }

    private enum State { LINE_START, IN_LINE, CR, DOT, DOT_CR }

    private static final byte[] CR_BYTE = {'\r'};

    private final SmtpInput input;
    private final long maxSize;
    private long size;
    private Defect defect;
    private IOException sinkFailure;
    private OutputStream sink;

    DataReader(SmtpInput input, long maxSize) {
        this.input = input;
        this.maxSize = maxSize;
    }

    /**
     * Reads to the end of data and writes the unstuffed message to {@code sink} while it is acceptable.
     *
     * <p>It works on the input's buffer in place: the bytes of a line pass in one scan for CR, LF and NUL, and what
     * the message keeps goes to the sink as slices of that buffer, cut only where a byte is dropped (a stuffed dot,
     * a bare CR, the final dot). A CR that ends one buffer is held back until the next shows whether an LF follows.
     *
     * @throws java.io.EOFException when the client closes the connection before the end of data
     * @throws IOException          when reading from the client fails (a timeout among others)
     */
    Outcome transfer(OutputStream sink) throws IOException {
        this.sink = sink;
        State state = State.LINE_START;
        boolean crHeld = false; // the CR of state CR or DOT_CR ended the previous buffer and was not written
        while (true) {
            if (!input.fillIfEmpty()) {
                throw new java.io.EOFException("connection closed before the end of data");
            }
            byte[] buffer = input.buffer();
            int p = input.position();
            int limit = input.limit();
            int kept = p; // start of the bytes not yet written that the message keeps
            while (p < limit) {
                switch (state) {
                    case IN_LINE -> {
                        byte b = buffer[p];
                        while (b != '\r' && b != '\n' && b != 0 && ++p < limit) {
                            b = buffer[p];
                        }
                        if (p < limit) {
                            p++;
                            if (b == '\r') {
                                state = State.CR;
                            } else {
                                found(b == '\n' ? Defect.BARE_LF : Defect.NUL); // kept like any byte
                            }
                        }
                    }
                    case LINE_START -> {
                        if (buffer[p] == '.') {
                            write(buffer, kept, p - kept);
                            kept = ++p; // a leading dot is dropped
                            state = State.DOT;
                        } else {
                            state = State.IN_LINE;
                        }
                    }
                    case DOT -> {
                        if (buffer[p] == '\r') {
                            p++;
                            state = State.DOT_CR;
                        } else {
                            state = State.IN_LINE;
                        }
                    }
                    case CR, DOT_CR -> {
                        int cr = crHeld ? p : p - 1; // where the CR is, or p when it ended the last buffer
                        boolean wasHeld = crHeld;
                        crHeld = false;
                        if (buffer[p] != '\n') {
                            found(Defect.BARE_CR);
                            write(buffer, kept, cr - kept); // the bare CR is not part of the message
                            kept = p;
                            state = State.IN_LINE;
                        } else if (state == State.DOT_CR) {
                            write(buffer, kept, cr - kept);
                            input.consumeTo(p + 1);
                            return new Outcome(size, size > maxSize, Optional.ofNullable(defect),
                                    Optional.ofNullable(sinkFailure));
                        } else {
                            if (wasHeld) {
                                write(CR_BYTE, 0, 1);
                            }
                            p++;
                            state = State.LINE_START;
                        }
                    }
                    default -> throw new IllegalStateException(state.toString());
                }
            }
            if (state == State.CR || state == State.DOT_CR) {
                // The CR is the buffer's last byte: kept back until the next byte shows what it is.
                write(buffer, kept, limit - 1 - kept);
                crHeld = true;
            } else {
                write(buffer, kept, limit - kept);
            }
            input.consumeTo(limit);
        }
    }

    private void found(Defect found) {
        if (defect == null) {
            defect = found;
        }
    }

    /** Counts bytes the message keeps, and writes them while the message is acceptable. */
    private void write(byte[] bytes, int offset, int length) {
        if (length <= 0) {
            return;
        }
        long before = size;
        size += length;
        if (defect != null || sinkFailure != null || before >= maxSize) {
            return;
        }
        try {
            sink.write(bytes, offset, (int) Math.min(length, maxSize - before));
        } catch (IOException e) {
            sinkFailure = e;
        }
    }
}
