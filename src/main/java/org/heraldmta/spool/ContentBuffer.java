package org.heraldmta.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Holds the content of a message being received: in memory up to a threshold, then in a temp file, so that a
 * large message costs a session a bounded amount of heap. Computes the CRC32C on the way in.
 * Used by one thread at a time.
 */
final class ContentBuffer extends OutputStream {

    private static final int FILE_BUFFER = 64 * 1024;

    private final Path spillDirectory;
    private final String name;
    private final int memoryThreshold;
    private final CRC32C crc = new CRC32C();
    /** Starts at 8 KB, enough for a typical message without regrowing, and grows by doubling. */
    private byte[] memory;
    private int count;
    private long size;
    private Path spillFile;
    private FileChannel spillChannel;
    private ByteBuffer fileBuffer;

    ContentBuffer(Path spillDirectory, String name, int memoryThreshold) {
        this.spillDirectory = spillDirectory;
        this.name = name;
        this.memoryThreshold = memoryThreshold;
        this.memory = new byte[Math.max(0, Math.min(memoryThreshold, 8 * 1024))];
    }

    long size() {
        return size;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (spillChannel == null && (long) count + length > memoryThreshold) {
            spill();
        }
        if (spillChannel == null) {
            if (count + length > memory.length) {
                memory = Arrays.copyOf(memory, Math.min(memoryThreshold, Math.max(count + length, memory.length * 2)));
            }
            System.arraycopy(bytes, offset, memory, count, length);
            count += length;
        } else {
            writeToFile(bytes, offset, length);
        }
        crc.update(bytes, offset, length);
        size += length;
    }

    /** The content as written so far, ready to be copied into the journal. */
    ContentSource source() throws IOException {
        int value = (int) crc.getValue();
        if (spillChannel == null) {
            return ContentSource.bytes(ByteBuffer.wrap(memory, 0, count), value);
        }
        drainFileBuffer();
        return ContentSource.range(spillChannel, 0, size, value);
    }

    /** Throws the content away, temp file included. */
    void discard() {
        memory = new byte[0];
        count = 0;
        if (spillChannel != null) {
            try {
                spillChannel.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            spillChannel = null;
        }
        if (spillFile != null) {
            try {
                Files.deleteIfExists(spillFile);
            } catch (IOException ignored) {
                // left for the next open() to clean up
            }
            spillFile = null;
        }
    }

    private void spill() throws IOException {
        spillFile = Files.createTempFile(spillDirectory, name + "-", ".tmp");
        spillChannel = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        fileBuffer = ByteBuffer.allocate(FILE_BUFFER);
        writeToFile(memory, 0, count);
        memory = new byte[0];
        count = 0;
    }

    private void writeToFile(byte[] bytes, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int chunk = Math.min(fileBuffer.remaining(), length - done);
            fileBuffer.put(bytes, offset + done, chunk);
            done += chunk;
            if (!fileBuffer.hasRemaining()) {
                drainFileBuffer();
            }
        }
    }

    private void drainFileBuffer() throws IOException {
        fileBuffer.flip();
        while (fileBuffer.hasRemaining()) {
            spillChannel.write(fileBuffer);
        }
        fileBuffer.clear();
    }
}
