package org.heraldmta.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a new password: from the terminal without echo, asked twice, or, when standard input is not a terminal,
 * as its first line (so scripts can pipe it in). Never from the command line, where other users could see it in
 * the process list.
 */
final class PasswordInput {

    /** Longer lines are not passwords: someone piped a file in by mistake. */
    private static final int MAX_BYTES = 1024;

    private final InputStream stdin;
    private final Console console;

    PasswordInput(InputStream stdin, Console console) {
        this.stdin = stdin;
        this.console = console;
    }

    /** The password as UTF-8 bytes; the caller clears them when done. */
    byte[] read(String user) throws IOException {
        return console != null ? fromTerminal(user) : fromStream();
    }

    private byte[] fromTerminal(String user) throws IOException {
        char[] first = console.readPassword("Password for %s: ", user);
        char[] second = console.readPassword("Again: ");
        try {
            if (first == null || second == null) {
                throw new IOException("no password given");
            }
            if (!Arrays.equals(first, second)) {
                throw new IOException("the two passwords differ");
            }
            return utf8(first);
        } finally {
            clear(first);
            clear(second);
        }
    }

    private byte[] fromStream() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = stdin.read()) >= 0 && b != '\n') {
            if (line.size() >= MAX_BYTES) {
                throw new IOException("password line longer than " + MAX_BYTES + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        byte[] password = Arrays.copyOf(bytes, length);
        Arrays.fill(bytes, (byte) 0);
        return password;
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    private static void clear(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * The terminal, or null when standard input or output is redirected. From JDK 22 on {@link System#console()}
     * may return a console that is not a terminal; {@code Console.isTerminal()} (JDK 22) tells, looked up by
     * reflection because Herald is built for Java 21.
     */
    static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Object terminal = Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console; // Java 21: System.console() is null unless both ends are a terminal
        }
    }
}
