package org.heraldmta.mail;

/**
 * A mailbox address {@code local@domain} (RFC 5321 §4.1.2), or the null reverse path {@code <>}.
 *
 * <p>The local part keeps its case (it belongs to the receiving server); the domain is normalised.
 * A local part with characters outside ASCII needs SMTPUTF8 ({@link #needsSmtpUtf8()}).
 */
public record Address(String localPart, Domain domain) {

    /** The null reverse path {@code <>}: the sender of bounces, which never bounce themselves. */
    public static final Address NULL_SENDER = new Address("", null);

    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_LENGTH = 254;

    public Address {
        if (localPart == null) {
            throw new IllegalArgumentException("missing local part");
        }
        if (domain == null && !localPart.isEmpty()) {
            throw new IllegalArgumentException("missing domain");
        }
        if (domain != null && localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
    }

    /**
     * Parses {@code local@domain} (without angle brackets). Quoted local parts are kept quoted.
     *
     * @throws IllegalArgumentException with a reason fit for an SMTP reply
     */
    public static Address parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("address longer than " + MAX_LENGTH + " characters");
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new IllegalArgumentException("address must be local-part@domain");
        }
        String local = text.substring(0, at);
        if (local.length() > MAX_LOCAL_PART) {
            throw new IllegalArgumentException("local part longer than " + MAX_LOCAL_PART + " characters");
        }
        validateLocalPart(local);
        return new Address(local, Domain.of(text.substring(at + 1)));
    }

    private static void validateLocalPart(String local) {
        if (local.startsWith("\"")) {
            if (local.length() < 2 || !local.endsWith("\"")) {
                throw new IllegalArgumentException("unterminated quoted local part");
            }
            for (int i = 1; i < local.length() - 1; i++) {
                char c = local.charAt(i);
                if (c < 32 || c == 127) {
                    throw new IllegalArgumentException("control character in local part");
                }
            }
            return;
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new IllegalArgumentException("misplaced dot in local part");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0 || c > 127;
            if (!atext) {
                throw new IllegalArgumentException("character '" + c + "' not allowed in local part");
            }
        }
    }

    public boolean isNullSender() {
        return domain == null;
    }

    /** True when the address cannot be written in ASCII and so needs SMTPUTF8 end to end. */
    public boolean needsSmtpUtf8() {
        return !isNullSender() && !localPart.chars().allMatch(c -> c < 128);
    }

    /** The address as written between angle brackets in MAIL FROM and RCPT TO. */
    @Override
    public String toString() {
        return isNullSender() ? "" : localPart + "@" + domain.name();
    }
}
