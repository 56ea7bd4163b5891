package org.heraldmta.log;

import java.time.Instant;
import java.util.List;

/**
 * The stored transcript of one delivery attempt of a message.
 *
 * <p>Plain strings for the mode and line kinds keep this package free of the delivery packages (which write to
 * the log, so depending on them would make a cycle): the caller passes {@code DeliveryMode.label()} and the lower-
 * case {@code Transcript.Kind} name.
 *
 * @param attempt  1 for the first attempt of the message, counting every route and mode
 * @param mode     how it was delivered: {@code direct} or {@code relay}
 * @param started  when the attempt began
 * @param finished when it ended
 * @param lines    what happened, in order
 */
public record AttemptTranscript(int attempt, String mode, Instant started, Instant finished, List<Line> lines) {

    public AttemptTranscript {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are counted from 1");
        }
        if (mode == null || started == null || finished == null) {
            throw new IllegalArgumentException("mode, started and finished are required");
        }
        lines = List.copyOf(lines);
    }

    /**
     * One line of a transcript.
     *
     * @param kind {@code info}, {@code sent}, {@code received} or {@code error}
     */
    public record Line(Instant time, String kind, String text) {
        public Line {
            if (time == null || kind == null || text == null) {
                throw new IllegalArgumentException("time, kind and text are required");
            }
        }
    }
}
