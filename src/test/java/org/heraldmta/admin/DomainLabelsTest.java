package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Labels for the busiest domains only, so that the metrics' series stay bounded. */
class DomainLabelsTest {

    private static final Instant START = Instant.parse("2026-12-04T00:00:00Z");

    @Test
    void theFirstDomainsAreLabelledUntilTheSetIsFullThenOthersCountAsOther() {
        DomainLabels labels = new DomainLabels(2, START, domain -> { });

        assertThat(labels.labelFor("a.test", START)).isEqualTo("a.test");
        assertThat(labels.labelFor("b.test", START)).isEqualTo("b.test");
        assertThat(labels.labelFor("c.test", START)).isEqualTo("other");
        assertThat(labels.labelled()).containsExactlyInAnyOrder("a.test", "b.test");
    }

    @Test
    void eachMinuteTheBusiestTakeTheLabelsAndTheDroppedAreReported() {
        List<String> dropped = new ArrayList<>();
        DomainLabels labels = new DomainLabels(2, START, dropped::add);
        labels.labelFor("quiet.test", START);
        labels.labelFor("a.test", START);
        for (int i = 0; i < 10; i++) {
            labels.labelFor("busy.test", START.plusSeconds(1));
        }

        String afterRank = labels.labelFor("busy.test", START.plusSeconds(61));

        assertThat(afterRank).isEqualTo("busy.test");
        assertThat(labels.labelled()).hasSize(2).contains("busy.test");
        assertThat(dropped).hasSize(1).containsAnyOf("quiet.test", "a.test");
        for (int i = 0; i < 1000; i++) {
            labels.labelFor("d" + i + ".test", START.plusSeconds(62));
        }
        assertThat(labels.labelled()).hasSize(2);
    }
}
