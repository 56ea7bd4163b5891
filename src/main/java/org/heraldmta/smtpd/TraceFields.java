package org.heraldmta.smtpd;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.QueueId;

/**
 * The header fields Herald adds to a message it accepts: Received, and Message-ID and Date when missing. Public
 * because the HTTP sending API writes the same fields.
 */
public final class TraceFields {

    /** RFC 5322 §3.3 date-time, in UTC, English day and month names. */
    static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private TraceFields() {
    }

    /**
     * The Received field (RFC 5321 §4.4), folded, ending in CRLF. The client is named by the name it gave and its IP
     * literal; its address is never looked up.
     */
    public static String received(String heloName, InetAddress client, String hostname, String protocol, QueueId id,
                           List<Address> recipients, Instant when) {
        StringBuilder field = new StringBuilder("Received: from ")
                .append(printable(heloName)).append(" (").append(addressLiteral(client)).append(")\r\n")
                .append("\tby ").append(hostname).append(" (Herald) with ").append(protocol)
                .append(" id ").append(id);
        if (recipients.size() == 1) {
            field.append("\r\n\tfor <").append(recipients.get(0)).append(">; ");
        } else {
            field.append(";\r\n\t");
        }
        return field.append(RFC_5322.format(when)).append("\r\n").toString();
    }

    public static String messageId(QueueId id, String hostname) {
        return "Message-ID: <" + id + "@" + hostname + ">\r\n";
    }

    public static String date(Instant when) {
        return "Date: " + RFC_5322.format(when) + "\r\n";
    }

    /**
     * The "with" protocol name: RFC 3848 (ESMTP, ESMTPS, ESMTPA, ESMTPSA) and RFC 6531 §3.7.3 (UTF8SMTP...).
     */
    static String protocol(boolean esmtp, boolean tls, boolean authenticated, boolean smtpUtf8) {
        if (!esmtp) {
            return "SMTP";
        }
        String suffix = (tls ? "S" : "") + (authenticated ? "A" : "");
        return (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + suffix;
    }

    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]} (RFC 5321 §4.1.3). */
    static String addressLiteral(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        return address instanceof Inet6Address ? "[IPv6:" + text + "]" : "[" + text + "]";
    }

    /** The client's HELO name is its own text: keep it to printable ASCII so it cannot break the header. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(c > 32 && c < 127 && c != '(' && c != ')' ? (char) c : '?'));
        return out.toString();
    }
}
