package org.heraldmta.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A segment channel that can behave like a full disk (a write stores part of its bytes, then fails with ENOSPC),
 * fail its fsync, or fsync slowly like a real disk. Everything else goes to a real file.
 */
final class FaultInjectingChannel extends FileChannel {

    /** Switches shared by every channel of one spool. */
    static final class Faults {
        final AtomicBoolean diskFull = new AtomicBoolean();
        final AtomicBoolean forceFails = new AtomicBoolean();
        final AtomicInteger forceMillis = new AtomicInteger();

        SegmentChannels channels() {
            return path -> new FaultInjectingChannel(SegmentChannels.FILES.create(path), this);
        }
    }

    private final FileChannel file;
    private final Faults faults;

    FaultInjectingChannel(FileChannel file, Faults faults) {
        this.file = file;
        this.faults = faults;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        if (faults.diskFull.get()) {
            int half = source.remaining() / 2;
            ByteBuffer part = source.slice(source.position(), half);
            file.write(part);
            source.position(source.position() + half);
            throw new IOException("No space left on device");
        }
        return file.write(source);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(sources[i]);
        }
        return total;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        int millis = faults.forceMillis.get();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (faults.forceFails.get()) {
            throw new IOException("Input/output error");
        }
        file.force(metaData);
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        return file.read(destination);
    }

    @Override
    public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
        return file.read(destinations, offset, length);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
        if (faults.diskFull.get()) {
            throw new IOException("No space left on device");
        }
        return file.transferFrom(source, position, count);
    }

    @Override
    public int read(ByteBuffer destination, long position) throws IOException {
        return file.read(destination, position);
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        if (faults.diskFull.get()) {
            throw new IOException("No space left on device");
        }
        return file.write(source, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
