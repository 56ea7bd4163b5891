package org.heraldmta.qmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.heraldmta.qmgr.QueueHarness.settings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cheap counts by state follow every change of state and agree with a full snapshot. */
@Timeout(30)
class QueueCountsTest {

    private static void assertCounts(QueueHarness h, long queued, long active, long deferred, long held,
                                     int messages) {
        QueueCounts counts = h.queue.counts();
        assertThat(counts.entries()).isEqualTo(Map.of(QueueEntry.State.QUEUED, queued, QueueEntry.State.ACTIVE,
                active, QueueEntry.State.DEFERRED, deferred, QueueEntry.State.HELD, held));
        assertThat(counts.messages()).isEqualTo(messages);
        assertThat(counts.entries()).as("as the snapshot counts").isEqualTo(h.queue.snapshot().countByState());
    }

    @Test
    void countsFollowAMessageFromQueuedThroughDeferredHeldAndReleasedToDelivered() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(5, 0, List.of(Duration.ofHours(1))), List.of())) {
            h.agent.answering(ScriptedAgent::greylisted).gated();
            SpooledMessage message = h.send("alice@sender.test", "bob@example.test", "carl@other.test");
            SpooledMessage other = h.send("alice@sender.test", "dora@example.test");
            assertCounts(h, 3, 0, 0, 0, 2);

            assertThat(h.queue.runDueWork()).isEqualTo(3);
            await().until(() -> h.agent.waiting.get() == 3);
            assertCounts(h, 0, 3, 0, 0, 2);

            h.agent.open();
            h.run();
            assertCounts(h, 0, 0, 3, 0, 2);

            h.queue.hold(message.id());
            assertCounts(h, 0, 0, 1, 2, 2);

            h.agent.answering(ScriptedAgent::delivered);
            h.queue.release(message.id());
            assertCounts(h, 2, 0, 1, 0, 2);

            h.run();
            assertCounts(h, 0, 0, 1, 0, 1);

            h.queue.retryNow(other.id());
            h.run();
            assertCounts(h, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void deletedAndHeldWorkLeavesTheCounts() throws Exception {
        try (QueueHarness h = new QueueHarness(settings(5, 0), List.of())) {
            SpooledMessage first = h.send("alice@sender.test", "bob@example.test");
            SpooledMessage second = h.send("alice@sender.test", "carl@example.test");
            h.queue.hold(second.id());
            assertCounts(h, 1, 0, 0, 1, 2);

            h.queue.delete(first.id());
            h.queue.delete(second.id());

            assertCounts(h, 0, 0, 0, 0, 0);
        }
    }
}
