package org.heraldmta.submission;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An upper bound on the size of a batch's personalised messages, so that a batch need not compose each message twice
 * (once to check its size before anything is queued, once to queue it) unless one may come near the limit.
 *
 * <p>Why four times the text: Jakarta Mail may encode a part as quoted-printable (at most three bytes per byte, plus
 * soft line breaks) or base64 (four per three), and one non-ASCII character from a recipient's vars can switch a
 * whole part to such an encoding. Attachments are base64 with line breaks (at most 1.4 times their content).
 */
final class SizeBound {

    private static final long HEADER_ROOM = 4096;
    private static final long PART_ROOM = 512;

    private final long fixed;
    private final Map<String, Integer> placeholders;

    private SizeBound(long fixed, Map<String, Integer> placeholders) {
        this.fixed = fixed;
        this.placeholders = placeholders;
    }

    static SizeBound of(JsonMessage template) {
        long text = length(template.subject()) + template.text().map(SizeBound::length).orElse(0L)
                + template.html().map(SizeBound::length).orElse(0L);
        long headers = length(template.from()) + template.replyTo().map(SizeBound::length).orElse(0L);
        for (Map.Entry<String, String> header : template.headers().entrySet()) {
            headers += length(header.getKey()) + length(header.getValue()) + 4;
        }
        long attachments = 0;
        for (JsonMessage.Attachment attachment : template.attachments()) {
            attachments += attachment.content().length * 14L / 10 + 4 * length(attachment.name())
                    + length(attachment.type()) + PART_ROOM;
        }
        long fixed = 4 * (text + headers) + attachments + HEADER_ROOM + 3 * PART_ROOM;
        return new SizeBound(fixed, Placeholders.occurrences(template.subject(), template.text().orElse(""),
                template.html().orElse("")));
    }

    /** At least the size of the message to {@code email} with {@code vars} filled in. */
    long forRecipient(String email, Map<String, String> vars) {
        long added = length(email);
        for (Map.Entry<String, Integer> placeholder : placeholders.entrySet()) {
            added += (long) placeholder.getValue() * length(vars.getOrDefault(placeholder.getKey(), ""));
        }
        return fixed + 4 * added;
    }

    private static long length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
