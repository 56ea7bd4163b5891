package org.heraldmta.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.heraldmta.mail.QueueId;

/**
 * Keeps every delivery attempt's transcript under
 * {@code <logDir>/transcripts/<last 2 characters of the id>/<ID>.jsonl}, one JSON line per attempt:
 * {@code {"attempt":1,"mode":"direct","started":..,"finished":..,"lines":[{"time":..,"kind":..,"text":..}]}}.
 *
 * <p>The directory takes the id's last two characters, which are random, rather than its first two, which encode
 * the acceptance time and would put a year of messages into one directory. Files outlive the message in the
 * spool, so that a finished message's log can still be shown. Times are kept to the nanosecond.
 *
 * <p>Thread safe. Appends are not fsynced (a transcript is a record for people, not a promise to a client), and
 * are written synchronously: call it from the thread that finished the attempt, not from a hot loop.
 */
public final class TranscriptStore {

    public static final String DIRECTORY = "transcripts";

    private static final int LOCK_STRIPES = 64;

    private final Path directory;
    /** Numbering an attempt reads the file and then appends: attempts of one message must not interleave. */
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    /**
     * Directories made so far (at most one per two-character suffix), so that a delivery does not pay for
     * {@link Files#createDirectories}, which throws and catches an exception inside when the directory exists.
     */
    private final java.util.Set<Path> made = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public TranscriptStore(Path logDirectory) {
        this.directory = logDirectory.resolve(DIRECTORY);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Where the transcripts of a message are kept. */
    public Path fileOf(QueueId id) {
        String value = id.value();
        return directory.resolve(value.substring(value.length() - 2)).resolve(value + ".jsonl");
    }

    /**
     * Stores one attempt and returns it with its number (1 + the attempts stored before for this message).
     */
    public AttemptTranscript append(QueueId id, String mode, Instant started, Instant finished,
                                    List<AttemptTranscript.Line> lines) throws IOException {
        return write(id, file -> new AttemptTranscript(countLines(file) + 1, mode, started, finished, lines));
    }

    /** Stores one attempt under the number it already has (the queue manager counts a message's attempts). */
    public AttemptTranscript append(QueueId id, AttemptTranscript attempt) throws IOException {
        return write(id, file -> attempt);
    }

    private AttemptTranscript write(QueueId id, Numbering numbered)
            throws IOException {
        Path file = fileOf(id);
        ReentrantLock lock = locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            AttemptTranscript attempt = numbered.attemptFor(file);
            Path parent = file.getParent();
            if (!made.contains(parent)) {
                Files.createDirectories(parent);
                made.add(parent);
            }
            byte[] line = (toJson(attempt) + "\n").getBytes(StandardCharsets.UTF_8);
            // not APPEND (it excludes READ): the stripe lock already makes this the only writer of the file
            try (FileChannel out = open(file)) {
                out.position(out.size());
                ByteBuffer buffer = endsLine(out) ? ByteBuffer.wrap(line) : ByteBuffer.allocate(line.length + 1)
                        .put((byte) '\n').put(line).flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            return attempt;
        } finally {
            lock.unlock();
        }
    }

    /** Opens the file for appending; makes its directory again should someone have removed it meanwhile. */
    private FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            made.remove(file.getParent());
            Files.createDirectories(file.getParent());
            made.add(file.getParent());
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    /** Every stored attempt of the message, first attempt first; empty when there are none. */
    public List<AttemptTranscript> read(QueueId id) throws IOException {
        List<AttemptTranscript> attempts = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(fileOf(id), StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                try {
                    attempts.add(fromJson(JsonValues.MAPPER.readTree(line)));
                } catch (IOException | RuntimeException torn) {
                    // a line cut short by a crash: skip it
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return attempts;
    }

    /** False when a crash cut the last line short: the next line must then start on a line of its own. */
    private static boolean endsLine(FileChannel file) throws IOException {
        long size = file.size();
        if (size == 0) {
            return true;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        file.read(last, size - 1);
        return last.get(0) == '\n';
    }

    private static int countLines(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int count = 0;
            while (in.readLine() != null) {
                count++;
            }
            return count;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static String toJson(AttemptTranscript attempt) {
        return JsonValues.json(g -> {
            g.writeStartObject();
            g.writeNumberField("attempt", attempt.attempt());
            g.writeStringField("mode", attempt.mode());
            g.writeStringField("started", IsoInstant.format(attempt.started()));
            g.writeStringField("finished", IsoInstant.format(attempt.finished()));
            g.writeArrayFieldStart("lines");
            for (AttemptTranscript.Line line : attempt.lines()) {
                g.writeStartObject();
                g.writeStringField("time", IsoInstant.format(line.time()));
                g.writeStringField("kind", line.kind());
                g.writeStringField("text", line.text());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static AttemptTranscript fromJson(JsonNode node) {
        List<AttemptTranscript.Line> lines = new ArrayList<>();
        for (JsonNode line : JsonValues.elements(node.required("lines"))) {
            lines.add(new AttemptTranscript.Line(Instant.parse(line.required("time").asText()),
                    line.required("kind").asText(), line.required("text").asText()));
        }
        return new AttemptTranscript(node.required("attempt").asInt(), node.required("mode").asText(),
                Instant.parse(node.required("started").asText()), Instant.parse(node.required("finished").asText()),
                lines);
    }

    /** Gives the attempt to store, numbered from the file's stored attempts when the caller has no number. */
    @FunctionalInterface
    private interface Numbering {
        AttemptTranscript attemptFor(Path file) throws IOException;
    }
}
