package org.heraldmta.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message content as the DATA phase needs it (RFC 5321 §4.5.2): every line ending (CRLF, and any bare CR
 * or bare LF, which SMTP smuggling relies on) becomes CRLF, a line that starts with a dot gets a second one, and
 * {@link #finish()} ends the content with CRLF . CRLF. Not thread safe.
 */
final class DotStuffingOutputStream extends FilterOutputStream {

    private boolean atLineStart = true;
    private boolean pendingCr;
    private long contentBytes;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        contentBytes++;
        writeOne(b);
    }

    /**
     * Passes each run of bytes that holds no line end, and does not start a line, on in one write; only line ends
     * and line starts go through {@link #writeOne} (a byte-at-a-time copy cost more than the rest of a delivery).
     */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        contentBytes += length;
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (!pendingCr && !atLineStart) {
                int run = i;
                while (run < end && bytes[run] != '\r' && bytes[run] != '\n') {
                    run++;
                }
                if (run > i) {
                    out.write(bytes, i, run - i);
                    i = run;
                    continue;
                }
            }
            writeOne(bytes[i++] & 0xff);
        }
    }

    private void writeOne(int b) throws IOException {
        if (pendingCr) {
            pendingCr = false;
            endLine();
            if (b == '\n') {
                return;
            }
        }
        if (b == '\r') {
            pendingCr = true;
            return;
        }
        if (b == '\n') {
            endLine();
            return;
        }
        if (atLineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        atLineStart = false;
    }

    private void endLine() throws IOException {
        out.write('\r');
        out.write('\n');
        atLineStart = true;
    }

    /** Ends the last line if needed and writes the terminating dot; then flushes. */
    void finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            endLine();
        }
        if (!atLineStart) {
            endLine();
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    /** Bytes of content given to this stream (before stuffing). */
    long contentBytes() {
        return contentBytes;
    }

    @Override
    public void close() {
        // the connection outlives the DATA phase: never close the socket's stream from here
    }
}
