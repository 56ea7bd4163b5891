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
            validateQuotedLocalPart(local);
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

    /**
     * RFC 5321 §4.1.2 Quoted-string: inside the quotes, a quote or a backslash appears only escaped by a backslash
     * (quoted-pairSMTP), so that the closing quote is where every reader of the address sees it; an escaped last
     * quote ({@code "abc\"@example.com}) does not close the local part.
     */
    private static void validateQuotedLocalPart(String local) {
        int last = local.length() - 1;
        int i = 1;
        while (i < last) {
            char c = local.charAt(i);
            if (c < 32 || c == 127) {
                throw new IllegalArgumentException("control character in local part");
            }
            if (c == '"') {
                throw new IllegalArgumentException("unescaped '\"' inside a quoted local part");
            }
            if (c == '\\') {
                char escaped = local.charAt(i + 1);
                if (escaped < 32 || escaped > 126) {
                    throw new IllegalArgumentException("'\\' must be followed by a printable ASCII character");
                }
                i += 2;
            } else {
                i++;
            }
        }
        if (i != last || last == 0 || local.charAt(last) != '"') {
            throw new IllegalArgumentException("unterminated quoted local part");
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
