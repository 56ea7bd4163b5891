package org.heraldmta.smtpd;

import java.io.InputStream;

/**
 * Serves the same bytes again and again, in reads of at most {@code readSize} bytes, as a socket would deliver a
 * client that keeps sending the same thing. Lets a benchmark read from one {@link SmtpInput} for as long as it
 * runs, without allocating or copying input per operation.
 */
final class RepeatingInputStream extends InputStream {

    private final byte[] bytes;
    private final int readSize;
    private int position;

    RepeatingInputStream(byte[] bytes, int readSize) {
        if (bytes.length == 0 || readSize < 1) {
            throw new IllegalArgumentException("needs some bytes to repeat and a read size of at least 1");
        }
        this.bytes = bytes.clone();
        this.readSize = readSize;
    }

    @Override
    public int read() {
        int b = bytes[position] & 0xff;
        position = (position + 1) % bytes.length;
        return b;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        int n = Math.min(Math.min(length, readSize), bytes.length - position);
        System.arraycopy(bytes, position, target, offset, n);
        position = (position + n) % bytes.length;
        return n;
    }

    /** Always some: the client has sent more, as it has when it pipelines. */
    @Override
    public int available() {
        return bytes.length - position;
    }
}
