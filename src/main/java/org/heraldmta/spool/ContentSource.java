package org.heraldmta.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/** Message content on its way into the journal: its length, its CRC32C, and how to copy it. */
interface ContentSource {

    ContentSource NONE = bytes(ByteBuffer.allocate(0), 0);

    long length();

    int crc();

    /** Appends all of the content to {@code target} at its current position. */
    void copyTo(WritableByteChannel target) throws IOException;

    static ContentSource bytes(ByteBuffer content, int crc) {
        ByteBuffer readOnly = content.asReadOnlyBuffer();
        return new ContentSource() {
            @Override
            public long length() {
                return readOnly.remaining();
            }

            @Override
            public int crc() {
                return crc;
            }

            @Override
            public void copyTo(WritableByteChannel target) throws IOException {
                ByteBuffer view = readOnly.duplicate();
                while (view.hasRemaining()) {
                    target.write(view);
                }
            }
        };
    }

    /** A range of a file: a spilled message, or a message being copied out of an old segment. */
    static ContentSource range(FileChannel source, long offset, long length, int crc) {
        return new ContentSource() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public int crc() {
                return crc;
            }

            @Override
            public void copyTo(WritableByteChannel target) throws IOException {
                long done = 0;
                while (done < length) {
                    long moved = source.transferTo(offset + done, length - done, target);
                    if (moved <= 0) {
                        throw new IOException("content source ended after " + done + " of " + length + " bytes");
                    }
                    done += moved;
                }
            }
        };
    }
}
