package org.heraldmta.admin;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.smtp.DeliveryAgent;
import org.heraldmta.smtp.DeliveryReport;
import org.heraldmta.smtp.DeliveryRequest;
import org.heraldmta.smtp.DestinationFeedback;
import org.heraldmta.smtp.RecipientOutcome;
import org.heraldmta.smtp.Step;
import org.heraldmta.smtp.Transcript;

/**
 * Answers by recipient domain: {@code ok.test} is delivered, {@code grey.test} deferred with 451, {@code bad.test}
 * bounced with 550; every attempt has a two-line transcript.
 */
final class TestAgent implements DeliveryAgent {

    private final InstantSource clock;

    TestAgent(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public DeliveryReport deliver(DeliveryRequest request) {
        var started = clock.instant();
        List<RecipientOutcome> outcomes = request.recipients().stream().map(r -> switch (r.domain().name()) {
            case "grey.test" -> (RecipientOutcome) new RecipientOutcome.Deferred(r, Step.RCPT, "mx.grey.test",
                    "127.0.0.23", Optional.of(SmtpReply.of(451, "4.7.1", "greylisted")), "451 4.7.1 greylisted");
            case "bad.test" -> new RecipientOutcome.Bounced(r, Step.RCPT, "mx.bad.test", "127.0.0.25",
                    Optional.of(SmtpReply.of(550, "5.1.1", "no such user")), "550 5.1.1 no such user", false);
            default -> new RecipientOutcome.Delivered(r, Step.DATA, "mx.ok.test", "127.0.0.21",
                    Optional.of(SmtpReply.of(250, "2.0.0", "ok queued")), "250 2.0.0 ok queued");
        }).toList();
        List<Transcript.Line> transcript = List.of(
                new Transcript.Line(started, Transcript.Kind.INFO, "connected to mx for " + request.recipients()),
                new Transcript.Line(clock.instant(), Transcript.Kind.SENT, "MAIL FROM:<" + request.sender() + ">"));
        return new DeliveryReport(started, clock.instant(), outcomes, transcript, new DestinationFeedback.Ok());
    }
}
