package org.heraldmta.smtp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.heraldmta.mail.SmtpReply;

/**
 * Reads SMTP replies (RFC 5321 §4.2) with bounds a hostile server cannot get around: each line at most
 * {@value #MAX_LINE_BYTES} bytes, each reply at most {@value #MAX_LINES} lines, and the whole reply within its
 * time-out (a server trickling one byte at a time does not reset the clock). Control characters in the reply
 * text are written as {@code \xNN}. Not thread safe.
 */
final class ReplyReader {

    static final int MAX_LINE_BYTES = 4096;
    static final int MAX_LINES = 100;

    private final Socket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    ReplyReader(Socket socket, InputStream in) {
        this.socket = socket;
        this.in = in;
    }

    /**
     * Reads one complete reply; every line is handed to {@code lineSink} as it arrives, so even a broken reply
     * shows up in the transcript.
     *
     * @throws SocketTimeoutException when the reply is not complete within {@code timeout}
     * @throws EOFException           when the server closes the connection
     * @throws SmtpProtocolException  on a malformed, overlong or endless reply
     */
    SmtpReply read(Duration timeout, Consumer<String> lineSink) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> texts = new ArrayList<>();
        int code = -1;
        while (true) {
            if (texts.size() >= MAX_LINES) {
                throw new SmtpProtocolException("reply of more than " + MAX_LINES + " lines");
            }
            String line = readLine(deadline, timeout);
            lineSink.accept(line);
            int lineCode = codeOf(line);
            if (code != -1 && lineCode != code) {
                throw new SmtpProtocolException("reply lines with different codes: " + code + " and " + lineCode);
            }
            code = lineCode;
            char separator = line.length() > 3 ? line.charAt(3) : ' ';
            if (separator != ' ' && separator != '-') {
                throw new SmtpProtocolException("malformed reply line: " + abbreviate(line));
            }
            // The transcript shows the line as it came (escaped there); the reply itself carries no control
            // characters, since its text goes on into events and bounces (a bare CR in a DSN's Diagnostic-Code
            // would become a line end there and let the server write fields of its own).
            texts.add(AttemptLog.printable(line.length() > 4 ? line.substring(4) : ""));
            if (separator == ' ') {
                return SmtpReply.fromLines(code, texts);
            }
        }
    }

    /** True when the server has sent bytes that were not read yet. */
    boolean hasBufferedInput() {
        return position < limit;
    }

    private static int codeOf(String line) throws SmtpProtocolException {
        if (line.length() < 3) {
            throw new SmtpProtocolException("malformed reply line: " + abbreviate(line));
        }
        char a = line.charAt(0);
        char b = line.charAt(1);
        char c = line.charAt(2);
        if (a < '2' || a > '5' || b < '0' || b > '9' || c < '0' || c > '9') {
            throw new SmtpProtocolException("malformed reply line: " + abbreviate(line));
        }
        return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
    }

    private String readLine(long deadline, Duration timeout) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            if (position == limit) {
                fill(deadline, timeout);
            }
            byte b = buffer[position++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new SmtpProtocolException("reply line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    private void fill(long deadline, Duration timeout) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("no complete reply within " + describe(timeout));
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000)));
        int read;
        try {
            read = in.read(buffer);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no complete reply within " + describe(timeout));
        }
        if (read < 0) {
            throw new EOFException("connection closed by the server");
        }
        position = 0;
        limit = read;
    }

    static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
