package org.heraldmta.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventReaderTest {

    private static final QueueId MINE = QueueId.parse("1M8YQB1JG1EMTNJB");
    private static final QueueId OTHER = QueueId.parse("1M8YQB1JG820KC1R");

    @TempDir
    Path logDirectory;

    @Test
    void readsBackTheEventsOfOneMessageInOrderWithTheirFields() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(logDirectory)) {
            log.write(event("2026-12-03T19:50:42.123Z", "received", MINE, "size", 5120));
            log.write(event("2026-12-03T19:50:43Z", "received", OTHER, "size", 99));
            log.write(event("2026-12-03T19:51:00.5Z", "deferred", MINE, "reply", "451 4.7.1 later, " + OTHER));
            log.write(new Event(Instant.parse("2026-12-03T19:52:00Z"), "note", Map.of("about", MINE.value())));
            log.write(event("2026-12-03T19:55:00Z", "delivered", MINE, "recipients", List.of("a@one.test")));
        }

        List<Event> events = new EventReader(logDirectory).forQueueId(MINE);

        assertThat(events).extracting(Event::event).containsExactly("received", "deferred", "delivered");
        assertThat(events.get(0).time()).isEqualTo(Instant.parse("2026-12-03T19:50:42.123Z"));
        assertThat(events.get(0).fields()).containsEntry("queue_id", MINE.value()).containsEntry("size", 5120);
        assertThat(events.get(1).fields()).containsEntry("reply", "451 4.7.1 later, " + OTHER);
        assertThat(events.get(2).fields()).containsEntry("recipients", List.of("a@one.test"));
        assertThat(new EventReader(logDirectory).forQueueId(OTHER)).singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("size", 99));
    }

    @Test
    void aLineCutShortByACrashIsSkipped() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(logDirectory)) {
            log.write(event("2026-12-03T19:50:42Z", "received", MINE, "size", 1));
        }
        Files.writeString(logDirectory.resolve("events.jsonl"),
                "{\"time\":\"2026-12-03T19:51:00.000Z\",\"event\":\"deliv", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Files.writeString(logDirectory.resolve("events.jsonl"), "\"" + MINE + "\"\n", StandardOpenOption.APPEND);

        assertThat(new EventReader(logDirectory).forQueueId(MINE)).extracting(Event::event)
                .containsExactly("received");
    }

    @Test
    void noLogYetMeansNoEvents() throws IOException {
        assertThat(new EventReader(logDirectory).forQueueId(MINE)).isEmpty();
    }

    private static Event event(String time, String name, QueueId id, String key, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("queue_id", id);
        fields.put(key, value);
        return new Event(Instant.parse(time), name, fields);
    }
}
