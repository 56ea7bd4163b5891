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

    private final SmtpInput input;
    private final long maxSize;
    private final byte[] chunk = new byte[16 * 1024];
    private int chunkLength;
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
     * @throws java.io.EOFException when the client closes the connection before the end of data
     * @throws IOException          when reading from the client fails (a timeout among others)
     */
    Outcome transfer(OutputStream sink) throws IOException {
        this.sink = sink;
        State state = State.LINE_START;
        while (true) {
            int b = input.read();
            if (b < 0) {
                throw new java.io.EOFException("connection closed before the end of data");
            }
            switch (state) {
                case LINE_START -> state = b == '.' ? State.DOT : inLine(b);
                case IN_LINE -> state = inLine(b);
                case CR -> {
                    if (b == '\n') {
                        emit('\r');
                        emit('\n');
                        state = State.LINE_START;
                    } else {
                        found(Defect.BARE_CR);
                        state = inLine(b);
                    }
                }
                case DOT -> state = b == '\r' ? State.DOT_CR : inLine(b); // a leading dot is dropped
                case DOT_CR -> {
                    if (b == '\n') {
                        flushChunk();
                        return new Outcome(size, size > maxSize, Optional.ofNullable(defect),
                                Optional.ofNullable(sinkFailure));
                    }
                    found(Defect.BARE_CR);
                    state = inLine(b);
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    private State inLine(int b) {
        if (b == '\r') {
            return State.CR;
        }
        if (b == '\n') {
            found(Defect.BARE_LF);
        } else if (b == 0) {
            found(Defect.NUL);
        }
        emit(b);
        return State.IN_LINE;
    }

    private void found(Defect found) {
        if (defect == null) {
            defect = found;
        }
    }

    private void emit(int b) {
        size++;
        if (!writing()) {
            return;
        }
        chunk[chunkLength++] = (byte) b;
        if (chunkLength == chunk.length) {
            flushChunk();
        }
    }

    private boolean writing() {
        return defect == null && sinkFailure == null && size <= maxSize;
    }

    private void flushChunk() {
        if (chunkLength > 0 && writing()) {
            try {
                sink.write(chunk, 0, chunkLength);
            } catch (IOException e) {
                sinkFailure = e;
            }
        }
        chunkLength = 0;
    }
}
