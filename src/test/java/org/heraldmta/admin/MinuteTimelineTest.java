package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-minute counts since start, in a fixed ring of the last 24 hours. */
class MinuteTimelineTest {

    private static final Instant START = Instant.parse("2026-12-04T10:00:30Z");

    @Test
    void eventsAreCountedInTheirMinuteOldestFirstFromTheStart() {
        MinuteTimeline timeline = new MinuteTimeline(START);
        timeline.record("received", START);
        timeline.record("delivered", START.plusSeconds(40));
        timeline.record("delivered", START.plusSeconds(45));
        timeline.record("held", START.plusSeconds(45));

        List<MinuteTimeline.Minute> minutes = timeline.last(60, START.plusSeconds(90));

        assertThat(minutes).extracting(m -> m.minute().toString())
                .containsExactly("2026-12-04T10:00:00Z", "2026-12-04T10:01:00Z", "2026-12-04T10:02:00Z");
        assertThat(minutes.get(0).counts()).containsEntry("received", 1L).containsEntry("delivered", 0L);
        assertThat(minutes.get(1).counts()).containsEntry("delivered", 2L).containsEntry("bounced", 0L);
    }

    @Test
    void onlyTheLastDayIsKeptAndASlotIsReusedForItsNewMinute() {
        MinuteTimeline timeline = new MinuteTimeline(START);
        timeline.record("deferred", START);
        Instant nextDay = START.plusSeconds(24 * 3600);
        timeline.record("deferred", nextDay);

        List<MinuteTimeline.Minute> day = timeline.last(MinuteTimeline.MINUTES_KEPT, nextDay);

        assertThat(day).hasSize(MinuteTimeline.MINUTES_KEPT);
        assertThat(day.get(day.size() - 1).counts()).containsEntry("deferred", 1L);
        assertThat(day.stream().mapToLong(m -> m.counts().get("deferred")).sum()).isEqualTo(1);
        timeline.record("deferred", START);
        assertThat(timeline.last(1, nextDay).get(0).counts()).as("too old for the ring: ignored")
                .containsEntry("deferred", 1L);
    }
}
