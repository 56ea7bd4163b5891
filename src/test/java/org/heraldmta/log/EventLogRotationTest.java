package org.heraldmta.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogRotationTest {

    private static final Instant START = Instant.parse("2026-12-04T01:00:00Z");
    private static final QueueId ID = QueueId.parse("1M8YQB1JG1EMTNJB");

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(START);
    private final InstantSource clock = now::get;

    @Test
    void rotationUnderConcurrentWritersLosesNoLineAndSplitsNone() throws Exception {
        int writers = 8;
        int perWriter = 2_000;
        long maxBytes = 16 * 1024;
        try (JsonlEventLog log = new JsonlEventLog(dir, new EventLogRotation(maxBytes, Duration.ofDays(1), 10_000),
                clock, 64, Duration.ofMillis(5))) {
            try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    pool.submit(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            // a non-ASCII field: sizes are counted in bytes, not characters
                            log.write(new Event(clock.instant(), "note", Map.of("writer", writer, "n", i,
                                    "text", "r\u00e9sum\u00e9 " + "x".repeat(i % 50))));
                        }
                    });
                }
            }
        }
        List<Path> files = allFiles();
        assertThat(files.size()).as("files after rotation").isGreaterThan(10);
        Set<String> seen = new HashSet<>();
        for (Path file : files) {
            assertThat(Files.size(file)).as(file + " size").isLessThanOrEqualTo(maxBytes);
            byte[] bytes = Files.readAllBytes(file);
            assertThat(bytes[bytes.length - 1]).as(file + " ends with a whole line").isEqualTo((byte) '\n');
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                Event event = JsonValues.parseEvent(line); // throws on a split or torn line
                assertThat(seen.add(event.fields().get("writer") + "/" + event.fields().get("n")))
                        .as("written once: " + line).isTrue();
            }
        }
        assertThat(seen).hasSize(writers * perWriter);
    }

    @Test
    void aFileIsRotatedOnceItsFirstLineIsOldEnough() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(dir, new EventLogRotation(Long.MAX_VALUE, Duration.ofHours(1), 10),
                clock)) {
            log.write(note("first"));
            log.flush();
            now.set(START.plus(Duration.ofMinutes(59)));
            log.write(note("same file"));
            log.flush();
            assertThat(RotatingEventFile.rotated(dir)).isEmpty();
            now.set(START.plus(Duration.ofHours(1)));
            log.write(note("new file"));
            log.flush();
        }
        assertThat(RotatingEventFile.rotated(dir)).singleElement().satisfies(rotated -> {
            assertThat(rotated.getFileName().toString()).isEqualTo("events.20261204T020000000Z.jsonl");
            assertThat(Files.readString(rotated)).contains("\"first\"", "\"same file\"").doesNotContain("new file");
        });
        assertThat(Files.readString(dir.resolve(JsonlEventLog.FILE_NAME))).contains("new file");
    }

    @Test
    void theAgeOfAFileFromAnEarlierRunCountsFromItsFirstLine() throws IOException {
        Files.writeString(dir.resolve(JsonlEventLog.FILE_NAME),
                "{\"time\":\"2026-12-01T00:00:00Z\",\"event\":\"note\",\"text\":\"old run\"}\n");
        try (JsonlEventLog log = new JsonlEventLog(dir, new EventLogRotation(Long.MAX_VALUE, Duration.ofDays(2), 10),
                clock)) {
            log.write(note("this run"));
        }
        assertThat(RotatingEventFile.rotated(dir)).singleElement()
                .satisfies(rotated -> assertThat(Files.readString(rotated)).contains("old run"));
        assertThat(Files.readString(dir.resolve(JsonlEventLog.FILE_NAME))).contains("this run")
                .doesNotContain("old run");
    }

    @Test
    void onlyTheNewestRotatedFilesAreKept() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(dir, new EventLogRotation(1, Duration.ofDays(1), 3), clock)) {
            for (int i = 0; i < 6; i++) {
                log.write(note("line " + i)); // each line is past 1 byte: every next line starts a new file
                log.flush();
            }
        }
        List<Path> kept = RotatingEventFile.rotated(dir);
        assertThat(kept).hasSize(3);
        assertThat(Files.readString(kept.get(0))).contains("line 2");
        assertThat(Files.readString(kept.get(2))).contains("line 4");
        assertThat(Files.readString(dir.resolve(JsonlEventLog.FILE_NAME))).contains("line 5");
    }

    @Test
    void rotatedNamesKeepTheirOrderWhenTheClockJumpsBack() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(dir, new EventLogRotation(1, Duration.ofDays(1), 10), clock)) {
            for (int i = 0; i < 4; i++) {
                now.set(START.minus(Duration.ofHours(i))); // each line an hour before the last
                log.write(note("line " + i));
                log.flush();
            }
        }
        List<Path> rotated = RotatingEventFile.rotated(dir);
        assertThat(rotated).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readString(rotated.get(i))).contains("line " + i);
        }
    }

    @Test
    void theReaderFindsAMessagesEventsInRotatedFilesOldestFirst() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(dir, new EventLogRotation(300, Duration.ofDays(1), 100), clock)) {
            for (int i = 0; i < 20; i++) {
                now.set(START.plusSeconds(i));
                log.write(new Event(clock.instant(), i % 2 == 0 ? "deferred" : "note",
                        Map.of("queue_id", i % 2 == 0 ? ID.value() : "1M8YQB1JG1EMTNJC", "n", i)));
            }
        }
        assertThat(RotatingEventFile.rotated(dir)).hasSizeGreaterThan(3);
        List<Integer> order = new ArrayList<>();
        new EventReader(dir).forQueueId(ID).forEach(e -> order.add(((Number) e.fields().get("n")).intValue()));
        assertThat(order).containsExactly(0, 2, 4, 6, 8, 10, 12, 14, 16, 18);
    }

    private Event note(String text) {
        return new Event(clock.instant(), "note", Map.of("text", text));
    }

    private List<Path> allFiles() throws IOException {
        List<Path> files = new ArrayList<>(RotatingEventFile.rotated(dir));
        files.add(dir.resolve(JsonlEventLog.FILE_NAME));
        return files;
    }
}
