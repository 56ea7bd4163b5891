package org.heraldmta.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.heraldmta.log.AttemptTranscript;
import org.heraldmta.log.Event;
import org.heraldmta.mail.QueueId;

/**
 * Renders a message's events and attempt transcripts as one timeline for a person: every attempt's transcript,
 * followed by the per-recipient results of that attempt; events outside attempts (received, held, bounce queued)
 * in time order between them. Times are UTC, as in the log files.
 */
final class MessageHistory {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private final QueueId id;
    private final List<Event> events;
    private final List<AttemptTranscript> attempts;

    MessageHistory(QueueId id, List<Event> events, List<AttemptTranscript> attempts) {
        this.id = id;
        this.events = List.copyOf(events);
        this.attempts = attempts.stream().sorted(Comparator.comparingInt(AttemptTranscript::attempt)).toList();
    }

    void print(PrintWriter out) {
        out.println("Message " + id.value() + " (times in UTC)");
        List<Event> unattached = new ArrayList<>(events.stream().filter(e -> attemptOf(e) == 0).toList());
        for (AttemptTranscript attempt : attempts) {
            while (!unattached.isEmpty() && !unattached.get(0).time().isAfter(attempt.started())) {
                printEvent(out, unattached.remove(0));
            }
            printAttempt(out, attempt);
        }
        // results whose transcript was not kept still belong in the history
        for (Integer number : events.stream().map(MessageHistory::attemptOf).filter(n -> n > 0).distinct()
                .filter(n -> attempts.stream().noneMatch(a -> a.attempt() == n)).toList()) {
            out.println();
            out.println("Attempt " + number + " (no transcript kept)");
            printResults(out, number);
        }
        unattached.forEach(event -> printEvent(out, event));
    }

    private void printAttempt(PrintWriter out, AttemptTranscript attempt) {
        out.println();
        out.printf("Attempt %d, %s, %s, %.3f s%n", attempt.attempt(), attempt.mode(), TIME.format(attempt.started()),
                Duration.between(attempt.started(), attempt.finished()).toMillis() / 1000.0);
        for (AttemptTranscript.Line line : attempt.lines()) {
            out.printf("  %s %s %s%n", CLOCK.format(line.time()), marker(line.kind()), line.text());
        }
        printResults(out, attempt.attempt());
    }

    private void printResults(PrintWriter out, int attempt) {
        for (Event event : events) {
            if (attemptOf(event) != attempt) {
                continue;
            }
            Map<String, Object> f = event.fields();
            String where = text(f.get("host")).isEmpty() ? "" : " at " + f.get("host") + " [" + f.get("ip") + "]";
            out.printf("  => %s %s: %s, step %s%s: %s%n", event.event(), f.get("recipient"), f.get("mode"),
                    f.get("step"), where, text(f.get("reply")));
        }
    }

    private static void printEvent(PrintWriter out, Event event) {
        Map<String, Object> f = event.fields();
        String what = switch (event.event()) {
            case "received" -> "received from <" + text(f.get("sender")) + "> [" + text(f.get("client_ip")) + "], "
                    + f.get("size") + " bytes, for " + f.get("recipients");
            case "bounce_queued" -> "bounce notification " + f.get("queue_id") + " queued to <" + f.get("recipient")
                    + ">";
            default -> event.event() + (f.containsKey("recipient") ? " " + f.get("recipient") : "")
                    + (f.containsKey("reply") ? ": " + f.get("reply") : "");
        };
        out.println();
        out.println(TIME.format(event.time()) + "  " + what);
    }

    /** How a transcript line is marked for a person: >> sent, << received, !! error, -- Herald's own note. */
    static String marker(String kind) {
        return switch (kind) {
            case "sent" -> ">>";
            case "received" -> "<<";
            case "error" -> "!!";
            default -> "--";
        };
    }

    private static int attemptOf(Event event) {
        return event.fields().get("attempt") instanceof Number n ? n.intValue() : 0;
    }

    private static String text(Object value) {
        return Objects.toString(value, "");
    }
}
