package org.heraldmta.mail;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An RFC 3463 enhanced status code such as {@code 5.1.1}. */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    private static final Pattern LEADING = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=\\s|$)");

    public EnhancedStatus {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("enhanced status class must be 2, 4 or 5: " + statusClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("enhanced status out of range");
        }
    }

    public static EnhancedStatus parse(String text) {
        return find(text).orElseThrow(() -> new IllegalArgumentException("not an enhanced status: " + text));
    }

    /** The enhanced status at the start of a reply text, if there is one. */
    public static Optional<EnhancedStatus> find(String replyText) {
        Matcher m = LEADING.matcher(replyText);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatus(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
