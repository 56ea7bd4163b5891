package org.heraldmta.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlEventLogTest {

    private static final Instant TIME = Instant.parse("2026-12-03T19:50:42.123456Z");
    private static final QueueId ID = QueueId.parse("1M8YQB1JG1EMTNJB");

    @TempDir
    Path logDirectory;

    @Test
    void eachEventIsOneLineWithTimeThenEventThenTheFieldsInTheirOrder() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("queue_id", ID);
        fields.put("sender", Address.parse("me@origin.test"));
        fields.put("recipients", List.of(Address.parse("a@one.test"), Address.parse("b@two.test")));
        fields.put("size", 5120L);
        fields.put("client_ip", "127.0.0.1");

        try (JsonlEventLog log = new JsonlEventLog(logDirectory)) {
            log.write(new Event(TIME, "received", fields));
        }

        assertThat(Files.readAllLines(logDirectory.resolve("events.jsonl"), StandardCharsets.UTF_8)).containsExactly(
                "{\"time\":\"2026-12-03T19:50:42.123Z\",\"event\":\"received\",\"queue_id\":\"1M8YQB1JG1EMTNJB\","
                        + "\"sender\":\"me@origin.test\",\"recipients\":[\"a@one.test\",\"b@two.test\"],"
                        + "\"size\":5120,\"client_ip\":\"127.0.0.1\"}");
    }

    @Test
    void valuesOfEveryKindBecomeValidJson() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("nothing", null);
        fields.put("absent", Optional.empty());
        fields.put("present", Optional.of(3));
        fields.put("when", Instant.parse("2026-12-03T20:00:00Z"));
        fields.put("nested", Map.of("ok", true));
        fields.put("ratio", 0.5);
        fields.put("text", "line\r\nbreak \"quoted\" \u00e9\u65e5");

        try (JsonlEventLog log = new JsonlEventLog(logDirectory)) {
            log.write(new Event(TIME, "odd", fields));
        }

        JsonNode line = new ObjectMapper().readTree(Files.readString(logDirectory.resolve("events.jsonl")));
        assertThat(line.get("nothing").isNull()).isTrue();
        assertThat(line.get("absent").isNull()).isTrue();
        assertThat(line.get("present").asInt()).isEqualTo(3);
        assertThat(line.get("when").asText()).isEqualTo("2026-12-03T20:00:00.000Z");
        assertThat(line.get("nested").get("ok").asBoolean()).isTrue();
        assertThat(line.get("ratio").asDouble()).isEqualTo(0.5);
        assertThat(line.get("text").asText()).isEqualTo("line\r\nbreak \"quoted\" \u00e9\u65e5");
        assertThat(Files.readAllLines(logDirectory.resolve("events.jsonl"))).hasSize(1);
    }

    @Test
    void linesFromManyThreadsAreWholeAndNoneIsLost() throws Exception {
        int threads = 50;
        int perThread = 200;
        try (JsonlEventLog log = new JsonlEventLog(logDirectory, 64, Duration.ofMillis(50));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        log.write(new Event(TIME, "deferred", Map.of("thread", thread, "n", i,
                                "reply", "451 4.7.1 " + "x".repeat(100))));
                    }
                });
            }
        }

        List<String> lines = Files.readAllLines(logDirectory.resolve("events.jsonl"));
        assertThat(lines).hasSize(threads * perThread);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertThat(json.readTree(line).get("event").asText()).isEqualTo("deferred");
        }
    }

    @Test
    void aWrittenLineReachesTheFileWithinTheFlushIntervalWithoutClosing() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(logDirectory, 100, Duration.ofMillis(20))) {
            log.write(new Event(TIME, "received", Map.of("queue_id", ID)));

            await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(Files.readString(logDirectory.resolve("events.jsonl"))).contains(ID.value()));
        }
    }

    @Test
    void aSlowDiskHoldsBackCallersOnlyOnceTheQueueIsFullAndNoLineIsDropped() throws Exception {
        CountDownLatch diskReturns = new CountDownLatch(1);
        CountDownLatch writerStuck = new CountDownLatch(1);
        StringWriter file = new StringWriter();
        Writer slowDisk = new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) {
                writerStuck.countDown();
                try {
                    diskReturns.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                file.write(chars, offset, length);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        int capacity = 10;
        JsonlEventLog log = new JsonlEventLog(slowDisk, capacity, Duration.ofMillis(10));
        log.write(event(0));
        assertThat(writerStuck.await(5, TimeUnit.SECONDS)).isTrue();
        // the writer thread holds event 0; the queue takes `capacity` more without making anyone wait
        long started = System.nanoTime();
        for (int i = 1; i <= capacity; i++) {
            log.write(event(i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

        CountDownLatch blockedWriteDone = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            log.write(event(99));
            blockedWriteDone.countDown();
        });
        assertThat(blockedWriteDone.await(200, TimeUnit.MILLISECONDS)).as("waits for room").isFalse();

        diskReturns.countDown();
        assertThat(blockedWriteDone.await(5, TimeUnit.SECONDS)).isTrue();
        log.close();
        List<String> numbers = new ArrayList<>();
        for (String line : file.toString().split("\n")) {
            numbers.add(new ObjectMapper().readTree(line).get("n").asText());
        }
        assertThat(numbers).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "99");
        assertThat(log.lostLines()).isZero();
    }

    @Test
    void flushReturnsOnceEverythingBeforeItIsInTheFile() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(logDirectory, 100, Duration.ofHours(1))) {
            for (int i = 0; i < 500; i++) {
                log.write(event(i));
            }
            log.flush();

            assertThat(Files.readAllLines(logDirectory.resolve("events.jsonl"))).hasSize(500);
        }
    }

    @Test
    void reopeningAppendsToTheExistingFile() throws IOException {
        try (JsonlEventLog log = new JsonlEventLog(logDirectory)) {
            log.write(event(1));
        }
        try (JsonlEventLog log = new JsonlEventLog(logDirectory)) {
            log.write(event(2));
        }

        assertThat(Files.readAllLines(logDirectory.resolve("events.jsonl"))).hasSize(2);
    }

    private static Event event(int n) {
        return new Event(TIME, "test", Map.of("n", n));
    }
}
