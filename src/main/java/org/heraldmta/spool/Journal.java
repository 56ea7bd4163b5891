package org.heraldmta.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The append side of the journal: numbered segment files of which only the newest (the active one) is written.
 * Used by the committer thread alone, except {@link #forces()}.
 *
 * <p>A record is either written completely or cut away again: a failed append truncates the segment back to where
 * the record started. When even that fails the journal is "broken": it abandons the segment and starts a new one
 * at the next append, so that nothing more is written behind bytes of unknown state.
 */
final class Journal implements Closeable {

    private static final Pattern NAME = Pattern.compile("segment-(\\d{8,})\\.log");

    private final Path directory;
    private final SegmentChannels channels;
    private final ForceListener forceListener;
    private final AtomicLong forces = new AtomicLong();
    private long nextNumber;
    private long activeNumber = -1;
    private FileChannel active;
    private long size;
    private boolean broken;

    Journal(Path directory, SegmentChannels channels, long nextNumber) {
        this(directory, channels, ForceListener.NONE, nextNumber);
    }

    Journal(Path directory, SegmentChannels channels, ForceListener forceListener, long nextNumber) {
        this.directory = directory;
        this.channels = channels;
        this.forceListener = forceListener;
        this.nextNumber = nextNumber;
    }

    static Path path(Path directory, long number) {
        return directory.resolve(String.format("segment-%08d.log", number));
    }

    /** The numbers of the segments in {@code directory}, oldest first. */
    static List<Long> list(Path directory) throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    numbers.add(Long.parseLong(m.group(1)));
                }
            }
        }
        numbers.sort(null);
        return numbers;
    }

    Path path(long number) {
        return path(directory, number);
    }

    /** The segment being written, or -1 before the first append. */
    long activeNumber() {
        return active == null ? -1 : activeNumber;
    }

    /** Bytes in the active segment. */
    long size() {
        return size;
    }

    boolean broken() {
        return broken;
    }

    long forces() {
        return forces.get();
    }

    /**
     * Appends a record (header and metadata, then content) to the active segment, creating one first if needed.
     *
     * @return the offset at which the record starts
     */
    long append(ByteBuffer headerAndMeta, ContentSource content) throws IOException {
        if (active == null) {
            startSegment();
        }
        long start = size;
        try {
            while (headerAndMeta.hasRemaining()) {
                active.write(headerAndMeta);
            }
            content.copyTo(active);
            long end = start + headerAndMeta.limit() + content.length();
            if (active.position() != end) {
                throw new IOException("segment position " + active.position() + " after append, expected " + end);
            }
            size = end;
            return start;
        } catch (IOException | RuntimeException e) {
            rollbackTo(start);
            throw e;
        }
    }

    /** Makes everything appended so far durable. */
    void force() throws IOException {
        if (active == null) {
            return;
        }
        if (broken) {
            throw new IOException("journal segment abandoned after a failed write");
        }
        forces.incrementAndGet();
        long started = System.nanoTime();
        active.force(false);
        forceListener.forced(java.time.Duration.ofNanos(System.nanoTime() - started));
    }

    /** Cuts the active segment back to {@code offset}; on failure the segment is abandoned. */
    void rollbackTo(long offset) {
        if (active == null) {
            return;
        }
        try {
            active.truncate(offset);
            active.position(offset);
            size = offset;
        } catch (IOException e) {
            broken = true;
            closeActive();
        }
    }

    /** Closes the active segment; the next append starts a new one. */
    void rotate() {
        closeActive();
    }

    void delete(long number) throws IOException {
        Files.deleteIfExists(path(number));
    }

    /** Makes creations and deletions of segment files durable. */
    void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private void startSegment() throws IOException {
        long number = nextNumber++;
        FileChannel channel = channels.create(path(number));
        try {
            syncDirectory();
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(path(number));
            throw e;
        }
        active = channel;
        activeNumber = number;
        size = 0;
        broken = false;
    }

    private void closeActive() {
        if (active != null) {
            try {
                active.close();
            } catch (IOException ignored) {
                // nothing more will be written through it
            }
            active = null;
            size = 0;
        }
    }

    @Override
    public void close() {
        closeActive();
    }
}
