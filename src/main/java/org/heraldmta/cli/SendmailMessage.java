package org.heraldmta.cli;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message read from a program's standard input the way sendmail reads it: line ends made CRLF, input ending at
 * a lone dot unless {@code -i}, recipients taken from To/Cc/Bcc with {@code -t}, Bcc removed, and a From header
 * added when the program wrote none.
 */
record SendmailMessage(byte[] content, List<String> headerRecipients) {

    static SendmailMessage read(InputStream in, boolean dotEndsInput, boolean takeRecipients, String fromHeader)
            throws IOException {
        List<byte[]> lines = readLines(in, dotEndsInput);
        int bodyStart = headerEnd(lines);
        List<String> header = new ArrayList<>();
        for (int i = 0; i < bodyStart; i++) {
            header.add(new String(lines.get(i), StandardCharsets.UTF_8));
        }
        List<List<String>> fields = unfold(header);
        List<String> recipients = new ArrayList<>();
        boolean hasFrom = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<String> field : fields) {
            String name = fieldName(field.get(0));
            if (name.equals("from")) {
                hasFrom = true;
            }
            if (takeRecipients && (name.equals("to") || name.equals("cc") || name.equals("bcc"))) {
                recipients.addAll(addresses(String.join(" ", field).substring(name.length() + 1)));
            }
            if (name.equals("bcc")) {
                continue;
            }
            for (String line : field) {
                out.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        if (!hasFrom) {
            message.writeBytes(("From: " + fromHeader + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        message.writeBytes(out.toByteArray());
        for (int i = bodyStart; i < lines.size(); i++) {
            message.writeBytes(lines.get(i));
            message.writeBytes(new byte[] {'\r', '\n'});
        }
        return new SendmailMessage(message.toByteArray(), List.copyOf(recipients));
    }

    /** Lines without their end (LF, CRLF or lone CR), stopping at a lone dot when asked. */
    private static List<byte[]> readLines(InputStream in, boolean dotEndsInput) throws IOException {
        byte[] all = in.readAllBytes();
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            boolean end = i == all.length || all[i] == '\n' || all[i] == '\r';
            if (!end) {
                continue;
            }
            if (i == all.length && start == i) {
                break;
            }
            byte[] line = java.util.Arrays.copyOfRange(all, start, i);
            if (dotEndsInput && line.length == 1 && line[0] == '.') {
                break;
            }
            lines.add(line);
            if (i < all.length && all[i] == '\r' && i + 1 < all.length && all[i + 1] == '\n') {
                i++;
            }
            start = i + 1;
        }
        return lines;
    }

    /** Index of the first body line (after the empty separator line), or of the first non-header line. */
    private static int headerEnd(List<byte[]> lines) {
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            if (line.length == 0) {
                return i;
            }
            boolean continuation = line[0] == ' ' || line[0] == '\t';
            if (!continuation && !looksLikeField(line)) {
                return i;
            }
        }
        return lines.size();
    }

    private static boolean looksLikeField(byte[] line) {
        for (byte b : line) {
            if (b == ':') {
                return true;
            }
            if (b <= 32 || b >= 127) {
                return false;
            }
        }
        return false;
    }

    private static List<List<String>> unfold(List<String> header) {
        List<List<String>> fields = new ArrayList<>();
        for (String line : header) {
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && !fields.isEmpty()) {
                fields.get(fields.size() - 1).add(line);
            } else {
                fields.add(new ArrayList<>(List.of(line)));
            }
        }
        return fields;
    }

    private static String fieldName(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> addresses(String value) throws IOException {
        try {
            List<String> out = new ArrayList<>();
            for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
                if (address.isGroup()) {
                    for (InternetAddress member : address.getGroup(false)) {
                        out.add(member.getAddress());
                    }
                } else if (address.getAddress() != null && !address.getAddress().isBlank()) {
                    out.add(address.getAddress());
                }
            }
            return out;
        } catch (AddressException e) {
            throw new IOException("cannot read addresses in header: " + e.getMessage(), e);
        }
    }
}
