package org.heraldmta.smtp;

import java.time.Instant;
import java.util.List;

/** The result of one attempt: an outcome per requested recipient, the transcript, and destination feedback. */
public record DeliveryReport(Instant started, Instant finished, List<RecipientOutcome> outcomes,
                             List<Transcript.Line> transcript, DestinationFeedback feedback) {

    public DeliveryReport {
        outcomes = List.copyOf(outcomes);
        transcript = List.copyOf(transcript);
    }
}
