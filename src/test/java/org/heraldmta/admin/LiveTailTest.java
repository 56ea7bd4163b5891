package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.heraldmta.log.Event;
import org.junit.jupiter.api.Test;

/** The live tail never holds up the writer of an event: a reader that falls behind loses events instead. */
class LiveTailTest {

    private static Event event(int n) {
        return new Event(Instant.EPOCH.plusSeconds(n), "delivered", Map.of("n", n));
    }

    @Test
    void aReaderThatNeverReadsLosesEventsBeyondItsBufferAndTheOthersGetEveryOne() throws Exception {
        LiveTail tail = new LiveTail();
        try (LiveTail.Subscription stalled = tail.subscribe(10); LiveTail.Subscription reading = tail.subscribe()) {
            for (int i = 0; i < 100; i++) {
                tail.publish(event(i)); // returns at once although one stream is full
            }

            assertThat(stalled.dropped()).isEqualTo(90);
            assertThat(reading.dropped()).isZero();
            assertThat(stalled.next(Duration.ZERO).orElseThrow().fields()).containsEntry("n", 0);
            for (int i = 0; i < 100; i++) {
                assertThat(reading.next(Duration.ZERO).orElseThrow().fields()).containsEntry("n", i);
            }
        }
        assertThat(tail.streams()).isZero();
    }

    @Test
    void endingTheStreamsWakesTheirReaders() throws Exception {
        LiveTail tail = new LiveTail();
        LiveTail.Subscription subscription = tail.subscribe();
        tail.publish(event(1));

        tail.endAll();

        assertThat(subscription.next(Duration.ofSeconds(5))).isEmpty();
        assertThat(subscription.ended()).isTrue();
    }
}
