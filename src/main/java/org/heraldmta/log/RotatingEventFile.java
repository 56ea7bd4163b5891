package org.heraldmta.log;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code events.jsonl} and its rotated predecessors {@code events.<UTC time of rotation>.jsonl}, whose names sort
 * in time order. Used by the event log's one writer thread only, so rotation needs no lock: between two lines the
 * file is flushed, closed, renamed (an atomic rename keeps every byte) and a new one opened before the next line
 * is written. A line is never split across files. Not thread safe.
 */
final class RotatingEventFile implements JsonlEventLog.LineSink {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern ROTATED = Pattern.compile("events\\.\\d{8}T\\d{9}Z\\.jsonl");

    private final Path directory;
    private final Path current;
    private final EventLogRotation rotation;
    private final InstantSource clock;
    private Writer out;
    private long size;
    private Instant firstLine;

    RotatingEventFile(Path directory, EventLogRotation rotation, InstantSource clock) throws IOException {
        this.directory = directory;
        this.current = directory.resolve(JsonlEventLog.FILE_NAME);
        this.rotation = rotation;
        this.clock = clock;
        Files.createDirectories(directory);
        open();
    }

    /** The rotated files, oldest first (the current file not included). */
    static List<Path> rotated(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> ROTATED.matcher(f.getFileName().toString()).matches()).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** Writes one line (without its line end), rotating first when the line would not fit in the current file. */
    @Override
    public void write(String line) throws IOException {
        long bytes = utf8Length(line) + 1;
        Instant now = clock.instant();
        if (size > 0 && (bytes > rotation.maxBytes() - size || isOld(now))) {
            rotate(now);
        }
        if (out == null) {
            open(); // the last rotation could not open a new file (a full disk): try again
        }
        out.write(line);
        out.write('\n');
        size += bytes;
        if (firstLine == null) {
            firstLine = now;
        }
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private boolean isOld(Instant now) {
        return firstLine != null && Duration.between(firstLine, now).compareTo(rotation.maxAge()) >= 0;
    }

    private void rotate(Instant now) throws IOException {
        close();
        List<Path> before = rotated(directory);
        Instant stamp = now;
        if (!before.isEmpty()) {
            // Names must keep sorting in rotation order, even when the clock stands still or jumps back.
            Instant newest = stampOf(before.getLast());
            if (!stamp.isAfter(newest)) {
                stamp = newest.plusMillis(1);
            }
        }
        Path target = directory.resolve("events." + STAMP.format(stamp) + ".jsonl");
        Files.move(current, target, StandardCopyOption.ATOMIC_MOVE);
        List<Path> old = rotated(directory);
        for (int i = 0; i < old.size() - rotation.keep(); i++) {
            Files.deleteIfExists(old.get(i));
        }
        open();
    }

    private static Instant stampOf(Path rotated) {
        String name = rotated.getFileName().toString();
        return STAMP.parse(name.substring("events.".length(), name.length() - ".jsonl".length()), Instant::from);
    }

    private void open() throws IOException {
        size = Files.exists(current) ? Files.size(current) : 0;
        firstLine = size == 0 ? null : timeOfFirstLine();
        out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(current, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), StandardCharsets.UTF_8), 64 * 1024);
    }

    /** The age of a file kept from an earlier run counts from its first event (now, when that cannot be read). */
    private Instant timeOfFirstLine() {
        try (BufferedReader in = Files.newBufferedReader(current, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            return line == null ? clock.instant() : JsonValues.parseEvent(line).time();
        } catch (IOException | RuntimeException unreadable) {
            return clock.instant();
        }
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
