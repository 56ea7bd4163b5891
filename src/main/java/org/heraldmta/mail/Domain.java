package org.heraldmta.mail;

import java.net.IDN;
import java.util.Locale;

/**
 * A mail domain in its ASCII (A-label) form, lower case, without a trailing dot.
 * Address literals such as {@code [127.0.0.1]} are kept as they are.
 */
public record Domain(String name) implements Comparable<Domain> {

    public Domain {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        if (!name.startsWith("[")) {
            if (!isValidAsciiName(name)) {
                throw new IllegalArgumentException("invalid domain: " + name);
            }
        } else if (!name.endsWith("]") || name.length() < 3
                || !isLiteralContent(name.substring(1, name.length() - 1))) {
            throw new IllegalArgumentException("invalid address literal: " + name);
        }
    }

    /**
     * Inside the brackets only what an IPv4 or IPv6 literal (RFC 5321 §4.1.3, {@code IPv6:} tag included) is
     * written with: letters, digits, '.', ':' and '-'. Found by AddressFuzzTest: without this check a literal could
     * carry a CR or LF onto an SMTP command line, or a '>' that ends the path early ({@code <u@[10>.1]>}).
     */
    private static boolean isLiteralContent(String text) {
        return text.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == ':' || c == '-');
    }

    /** Parses a domain as written in an address, converting U-labels to A-labels. */
    public static Domain of(String text) {
        String trimmed = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (trimmed.startsWith("[")) {
            return new Domain(trimmed.toLowerCase(Locale.ROOT));
        }
        String ascii;
        try {
            ascii = IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid domain: " + text, e);
        }
        return new Domain(ascii.toLowerCase(Locale.ROOT));
    }

    public boolean isAddressLiteral() {
        return name.startsWith("[");
    }

    /** The domain in Unicode, for people. */
    public String unicode() {
        return isAddressLiteral() ? name : IDN.toUnicode(name, IDN.ALLOW_UNASSIGNED);
    }

    private static boolean isValidAsciiName(String name) {
        if (name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int compareTo(Domain other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
