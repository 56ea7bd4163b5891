package org.heraldmta.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hands one message to the running Herald over SMTP on its own listener, as a local program would through
 * sendmail. Knows only enough SMTP for that: EHLO, MAIL, RCPT, DATA with dot-stuffing, QUIT.
 */
final class LocalSubmission {

    /** What the server answered. */
    sealed interface Result {
        record Accepted(String reply) implements Result {
        }

        /** The server is not running or answered 4xx: the caller may try again later (EX_TEMPFAIL). */
        record TryLater(String reason) implements Result {
        }

        record Refused(String reason) implements Result {
        }
    }

    private final InetSocketAddress server;
    private final String heloName;

    LocalSubmission(InetSocketAddress server, String heloName) {
        this.server = server;
        this.heloName = heloName;
    }

    Result submit(String sender, List<String> recipients, byte[] content) {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(server, 10_000);
            } catch (IOException e) {
                return new Result.TryLater("Herald is not running (nothing listens on " + server.getAddress().getHostAddress()
                        + ":" + server.getPort() + ")");
            }
            socket.setSoTimeout(120_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            String reply = read(in);
            if (!reply.startsWith("2")) {
                return failure("greeting", reply);
            }
            for (String command : commands(sender, recipients)) {
                send(out, command);
                reply = read(in);
                if (!reply.startsWith(command.equals("DATA") ? "3" : "2")) {
                    return failure(command, reply);
                }
            }
            out.write(dotStuffed(content));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reply = read(in);
            if (!reply.startsWith("2")) {
                return failure("end of data", reply);
            }
            send(out, "QUIT");
            return new Result.Accepted(reply);
        } catch (IOException e) {
            return new Result.TryLater("connection to Herald failed: " + e.getMessage());
        }
    }

    private List<String> commands(String sender, List<String> recipients) {
        List<String> commands = new java.util.ArrayList<>();
        commands.add("EHLO " + heloName);
        commands.add("MAIL FROM:<" + sender + ">");
        for (String recipient : recipients) {
            commands.add("RCPT TO:<" + recipient + ">");
        }
        commands.add("DATA");
        return commands;
    }

    private static Result failure(String step, String reply) {
        String reason = step + ": " + reply.strip().replace("\r\n", " ");
        return reply.startsWith("5") ? new Result.Refused(reason) : new Result.TryLater(reason);
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply and returns its last line. */
    private static String read(InputStream in) throws IOException {
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (line.size() < 4096) {
                    line.write(b);
                }
            }
            if (b == -1 && line.size() == 0) {
                throw new IOException("connection closed by Herald");
            }
            String text = line.toString(StandardCharsets.UTF_8).strip();
            if (text.length() < 4 || text.charAt(3) != '-') {
                return text;
            }
        }
    }

    /** The content with a dot doubled at the start of every line; content already ends with CRLF. */
    static byte[] dotStuffed(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        boolean lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (content.length > 0 && content[content.length - 1] != '\n') {
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }
}
