package org.heraldmta.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptStoreTest {

    private static final QueueId ID = QueueId.parse("1M8YQB1JG1EMTNJB");
    private static final QueueId OTHER = QueueId.parse("1M8YQB1JG820KC1R");
    private static final Instant T0 = Instant.parse("2026-12-03T19:50:42.123456789Z");

    @TempDir
    Path logDirectory;

    @Test
    void attemptsAreNumberedAndReadBackExactlyInOrder() throws IOException {
        TranscriptStore store = new TranscriptStore(logDirectory);
        List<AttemptTranscript.Line> first = List.of(
                new AttemptTranscript.Line(T0, "info", "mx1.one.test [127.0.0.1]:25"),
                new AttemptTranscript.Line(T0.plusMillis(3), "received", "421 4.3.2 busy, \"later\" \u00e9"));
        List<AttemptTranscript.Line> second = List.of(
                new AttemptTranscript.Line(T0.plusSeconds(60), "sent", "MAIL FROM:<me@origin.test>"),
                new AttemptTranscript.Line(T0.plusSeconds(61), "received", "250 2.0.0 ok"));

        AttemptTranscript one = store.append(ID, "direct", T0, T0.plusMillis(4), first);
        store.append(OTHER, "relay", T0, T0, List.of());
        AttemptTranscript two = store.append(ID, "relay", T0.plusSeconds(60), T0.plusSeconds(62), second);

        assertThat(one.attempt()).isEqualTo(1);
        assertThat(two.attempt()).isEqualTo(2);
        assertThat(store.read(ID)).containsExactly(one, two);
        assertThat(store.read(OTHER)).singleElement().satisfies(a -> assertThat(a.attempt()).isEqualTo(1));
    }

    @Test
    void transcriptsAreSpreadOverDirectoriesByTheRandomEndOfTheId() {
        TranscriptStore store = new TranscriptStore(logDirectory);

        assertThat(store.fileOf(ID)).isEqualTo(logDirectory.resolve("transcripts/JB/1M8YQB1JG1EMTNJB.jsonl"));
        assertThat(store.fileOf(OTHER).getParent()).isNotEqualTo(store.fileOf(ID).getParent());
    }

    @Test
    void concurrentAttemptsOfOneMessageGetDistinctNumbers() throws Exception {
        TranscriptStore store = new TranscriptStore(logDirectory);
        List<Future<AttemptTranscript>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                results.add(pool.submit(() -> store.append(ID, "direct", T0, T0,
                        List.of(new AttemptTranscript.Line(T0, "info", "attempt " + n)))));
            }
        }
        List<Integer> numbers = new ArrayList<>();
        for (Future<AttemptTranscript> result : results) {
            numbers.add(result.get().attempt());
        }

        assertThat(numbers).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 20)
                .boxed().toList());
        assertThat(store.read(ID)).extracting(AttemptTranscript::attempt)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void aLineCutShortByACrashIsSkippedAndTheNextAttemptStartsOnItsOwnLine() throws IOException {
        TranscriptStore store = new TranscriptStore(logDirectory);
        AttemptTranscript first = store.append(ID, "direct", T0, T0, List.of());
        Files.writeString(store.fileOf(ID), "{\"attempt\":2,\"mode\":\"dir", StandardOpenOption.APPEND);

        AttemptTranscript third = store.append(ID, "relay", T0, T0, List.of());

        assertThat(third.attempt()).isEqualTo(3);
        assertThat(store.read(ID)).containsExactly(first, third);
    }

    @Test
    void aMessageWithoutAttemptsHasNoTranscripts() throws IOException {
        assertThat(new TranscriptStore(logDirectory).read(ID)).isEmpty();
    }
}
