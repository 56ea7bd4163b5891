package org.heraldmta.submission;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes a message on with the line ends the spool expects: a bare LF or a bare CR becomes CRLF (a file sent with
 * curl usually has LF line ends), and {@link #finish()} ends the last line. Counts what it passes, refuses more
 * than the size limit and a NUL byte, and notes whether any byte is 8-bit.
 *
 * <p>Unlike SMTP's DATA, HTTP has no end-of-data line, so a bare LF cannot smuggle a second message here and is
 * simply repaired.
 */
final class CanonicalContent extends OutputStream {

    /** The message grew past the limit. */
    static final class TooBig extends IOException {
        TooBig(long limit) {
            super("the message is larger than the " + limit + " bytes allowed (max_message_size)");
        }
    }

    /** The message holds a byte no message may hold. */
    static final class Defect extends IOException {
        Defect(String reason) {
            super(reason);
        }
    }

    private final OutputStream target;
    private final long maxSize;
    private final byte[] buffer = new byte[16 * 1024];
    private int buffered;
    private long size;
    private boolean afterCr;
    private boolean atLineStart = true;
    private boolean eightBit;

    CanonicalContent(OutputStream target, long maxSize) {
        this.target = target;
        this.maxSize = maxSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                lineEnd();
                continue;
            }
            if (afterCr) {
                lineEnd(); // a bare CR
            }
            if (b == '\r') {
                afterCr = true;
                continue;
            }
            if (b == 0) {
                throw new Defect("the message contains a NUL byte");
            }
            eightBit |= b < 0;
            put(b);
            atLineStart = false;
        }
    }

    private void lineEnd() throws IOException {
        put((byte) '\r');
        put((byte) '\n');
        afterCr = false;
        atLineStart = true;
    }

    private void put(byte b) throws IOException {
        if (++size > maxSize) {
            throw new TooBig(maxSize);
        }
        if (buffered == buffer.length) {
            target.write(buffer, 0, buffered);
            buffered = 0;
        }
        buffer[buffered++] = b;
    }

    /** Ends the last line and writes out what is buffered. The target is flushed, not closed. */
    void finish() throws IOException {
        if (afterCr || !atLineStart) {
            lineEnd();
        }
        target.write(buffer, 0, buffered);
        buffered = 0;
        target.flush();
    }

    /** Bytes passed on so far, line ends repaired. */
    long size() {
        return size;
    }

    boolean eightBit() {
        return eightBit;
    }
}
