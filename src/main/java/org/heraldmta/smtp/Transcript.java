package org.heraldmta.smtp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The step-by-step record of one attempt: DNS answers, hosts and addresses tried, connect time, TLS parameters,
 * every command sent and every reply received, with timestamps. AUTH secrets are masked before they get here.
 * Built by one thread; {@link #lines()} gives an immutable copy.
 */
public final class Transcript {

    /** Who produced a line: Herald's note, a command Herald sent, or a reply it received. */
    public enum Kind { INFO, SENT, RECEIVED, ERROR }

    public record Line(Instant time, Kind kind, String text) {
    }

    private final List<Line> lines = new ArrayList<>();

    public void add(Instant time, Kind kind, String text) {
        lines.add(new Line(time, kind, text));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }
}
