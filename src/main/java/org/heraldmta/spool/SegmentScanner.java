package org.heraldmta.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads one segment during recovery: hands every valid record to a visitor and reports the byte ranges that are
 * not valid records. After a damaged range it resynchronises at the next offset where a complete, valid record
 * starts (magic, lengths, both checksums and readable metadata), so one flipped bit costs one record.
 */
final class SegmentScanner {

    private static final int CHUNK = 64 * 1024;

    /** A valid record and where it lies. */
    record Found(JournalRecord record, long offset, int metaLength, long contentLength, int contentCrc) {
        long end() {
            return offset + RecordHeader.BYTES + metaLength + contentLength;
        }
    }

    /** Bytes {@code [from, to)} that are not a valid record. */
    record Damage(long from, long to, String reason) {
    }

    /**
     * What the scan found besides valid records.
     *
     * @param damage      damaged ranges followed by valid records, or complete but invalid records at the end
     * @param tailFrom    where an incomplete last record starts (an interrupted append), or -1
     * @param tailReason  why that tail is not a record
     */
    record Result(List<Damage> damage, long tailFrom, String tailReason) {
    }

    private sealed interface Attempt {
    }

    private record Valid(Found found) implements Attempt {
    }

    /** {@code complete}: the bytes claim a record that lies entirely within the file, so it is not a torn append. */
    private record Invalid(String reason, boolean complete) implements Attempt {
    }

    private final FileChannel channel;
    private final long size;

    SegmentScanner(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
    }

    Result scan(Consumer<Found> visitor) throws IOException {
        List<Damage> damage = new ArrayList<>();
        long position = 0;
        while (position < size) {
            Attempt attempt = tryRead(position);
            if (attempt instanceof Valid valid) {
                visitor.accept(valid.found());
                position = valid.found().end();
                continue;
            }
            Invalid invalid = (Invalid) attempt;
            long next = nextValid(position + 1);
            if (next >= 0) {
                damage.add(new Damage(position, next, invalid.reason()));
                position = next;
            } else if (!invalid.complete() || zeros(position, size)) {
                return new Result(damage, position, invalid.reason());
            } else {
                damage.add(new Damage(position, size, invalid.reason()));
                break;
            }
        }
        return new Result(damage, -1, "");
    }

    private Attempt tryRead(long position) throws IOException {
        if (size - position < RecordHeader.BYTES) {
            return new Invalid("the segment ends inside a record header", false);
        }
        ByteBuffer header = read(position, RecordHeader.BYTES);
        if (header.getInt(0) != RecordHeader.MAGIC) {
            return new Invalid("no record starts here", true);
        }
        int metaLength = header.getInt(5);
        long contentLength = header.getLong(9);
        if (metaLength < 0 || metaLength > RecordHeader.MAX_META || contentLength < 0) {
            return new Invalid("implausible record lengths", true);
        }
        long end = position + RecordHeader.BYTES + metaLength + contentLength;
        if (end > size || end < position) {
            return new Invalid("the record runs past the end of the segment", false);
        }
        byte[] meta = read(position + RecordHeader.BYTES, metaLength).array();
        if (RecordHeader.headerCrc(header, meta) != header.getInt(21)) {
            return new Invalid("record header checksum mismatch", true);
        }
        JournalRecord record;
        try {
            record = MetaCodec.decode(RecordType.ofCode(header.get(4)), meta, contentLength);
        } catch (IllegalArgumentException e) {
            return new Invalid("unreadable record metadata: " + e.getMessage(), true);
        }
        int contentCrc = header.getInt(17);
        if (crc(position + RecordHeader.BYTES + metaLength, contentLength) != contentCrc) {
            return new Invalid("content checksum mismatch in message " + record.id(), true);
        }
        return new Valid(new Found(record, position, metaLength, contentLength, contentCrc));
    }

    /** The first offset at or after {@code from} where a valid record starts, or -1. */
    private long nextValid(long from) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        long base = from;
        while (size - base >= RecordHeader.BYTES) {
            chunk.clear();
            chunk.limit((int) Math.min(CHUNK, size - base));
            readFully(chunk, base);
            int length = chunk.limit();
            for (int i = 0; i + 4 <= length; i++) {
                if (chunk.getInt(i) == RecordHeader.MAGIC && tryRead(base + i) instanceof Valid) {
                    return base + i;
                }
            }
            base += length - 3;
        }
        return -1;
    }

    private boolean zeros(long from, long to) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        for (long p = from; p < to; p += chunk.limit()) {
            chunk.clear();
            chunk.limit((int) Math.min(CHUNK, to - p));
            readFully(chunk, p);
            for (int i = 0; i < chunk.limit(); i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private int crc(long from, long length) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        for (long done = 0; done < length; done += chunk.limit()) {
            chunk.clear();
            chunk.limit((int) Math.min(CHUNK, length - done));
            readFully(chunk, from + done);
            chunk.flip();
            crc.update(chunk);
        }
        return (int) crc.getValue();
    }

    private ByteBuffer read(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readFully(buffer, position);
        return buffer;
    }

    /** Fills the buffer up to its limit and leaves its position there. */
    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("segment shorter than its size at " + at);
            }
            at += n;
        }
    }
}
