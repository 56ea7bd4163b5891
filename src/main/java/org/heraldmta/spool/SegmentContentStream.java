package org.heraldmta.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads one message's content out of a segment by position, without loading it whole. Owns its channel, so a
 * segment deleted by compaction meanwhile stays readable until the stream is closed.
 */
final class SegmentContentStream extends InputStream {

    private final FileChannel channel;
    private final long end;
    private long position;

    SegmentContentStream(FileChannel channel, long offset, long length) {
        this.channel = channel;
        this.position = offset;
        this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (position >= end) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        int wanted = (int) Math.min(length, end - position);
        int n = channel.read(ByteBuffer.wrap(bytes, offset, wanted), position);
        if (n < 0) {
            throw new IOException("spool segment ends before the message content does");
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
