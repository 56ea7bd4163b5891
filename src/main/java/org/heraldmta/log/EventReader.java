package org.heraldmta.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.heraldmta.mail.QueueId;

/**
 * Reads {@code events.jsonl} back, its rotated predecessors first, for {@code herald log ID} and the admin API.
 * Lines that are not complete events (a line cut short by a crash) are skipped. Reads the whole file each time: fine for an operator's look-up, not
 * meant for a hot path.
 */
public final class EventReader {

    private final Path file;

    public EventReader(Path logDirectory) {
        this.file = logDirectory.resolve(JsonlEventLog.FILE_NAME);
    }

    /** Every event whose {@code queue_id} field is {@code id}, oldest first (in file order). */
    public List<Event> forQueueId(QueueId id) throws IOException {
        return matching(id, "queue_id");
    }

    /**
     * Every event about the message {@code id}: its own, and the {@code bounce_queued} event of a notification
     * about it ({@code original_queue_id}), oldest first.
     */
    public List<Event> about(QueueId id) throws IOException {
        return matching(id, "queue_id", "original_queue_id");
    }

    private List<Event> matching(QueueId id, String... idFields) throws IOException {
        List<Event> events = new ArrayList<>();
        String needle = id.value();
        // The current file is opened first and read last: should the writer rotate it meanwhile, the open handle
        // still reads it whole, and its new name (if listed) is skipped so that no line is read twice.
        BufferedReader current;
        Object currentKey;
        try {
            current = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            currentKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            current = null;
            currentKey = null;
        }
        try (BufferedReader last = current) {
            for (Path rotated : RotatingEventFile.rotated(file.getParent())) {
                try (BufferedReader in = Files.newBufferedReader(rotated, StandardCharsets.UTF_8)) {
                    Object key = Files.readAttributes(rotated, BasicFileAttributes.class).fileKey();
                    if (currentKey == null || !currentKey.equals(key)) {
                        collect(in, needle, idFields, events);
                    }
                } catch (NoSuchFileException deletedMeanwhile) {
                    // the oldest files go once more than [log] events_keep exist
                }
            }
            if (last != null) {
                collect(last, needle, idFields, events);
            }
        }
        return events;
    }

    private static void collect(BufferedReader in, String needle, String[] idFields, List<Event> events)
            throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.contains(needle)) {
                continue;
            }
            try {
                Event event = JsonValues.parseEvent(line);
                for (String field : idFields) {
                    if (needle.equals(event.fields().get(field))) {
                        events.add(event);
                        break;
                    }
                }
            } catch (IOException | RuntimeException malformed) {
                // a torn or foreign line: not an event
            }
        }
    }
}
