package org.heraldmta.smtp;

import java.time.InstantSource;
import java.util.List;

/**
 * Writes one attempt's transcript with timestamps from the injected clock. Text from the network is made printable
 * (control characters shown as {@code \xNN}) so a hostile server cannot forge lines in the delivery log.
 */
final class AttemptLog {

    private final Transcript transcript = new Transcript();
    private final InstantSource clock;
    private final boolean keep;

    AttemptLog(InstantSource clock) {
        this(clock, true);
    }

    private AttemptLog(InstantSource clock, boolean keep) {
        this.clock = clock;
        this.keep = keep;
    }

    /** A log for a connection between attempts (an idle pooled one): its lines belong to no attempt. */
    static AttemptLog discarding() {
        return new AttemptLog(InstantSource.system(), false);
    }

    void info(String text) {
        add(Transcript.Kind.INFO, text);
    }

    void sent(String text) {
        add(Transcript.Kind.SENT, text);
    }

    void received(String text) {
        add(Transcript.Kind.RECEIVED, text);
    }

    void error(String text) {
        add(Transcript.Kind.ERROR, text);
    }

    List<Transcript.Line> lines() {
        return transcript.lines();
    }

    private synchronized void add(Transcript.Kind kind, String text) {
        if (!keep) {
            return;
        }
        transcript.add(clock.instant(), kind, printable(text));
    }

    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f;
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
