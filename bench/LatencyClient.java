import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures how long an SMTP server takes to answer the final dot: sends COUNT messages of SIZE bytes over SESSIONS
 * parallel sessions (several messages per session, as smtp-source -d does) and records, for each message, the time
 * from writing CRLF.CRLF to reading the complete reply. The message body is written and flushed first, so the figure
 * is the server's work on the end of DATA (for a careful server: the fsync), not the upload.
 *
 * <p>Usage: {@code java LatencyClient.java IPV4 PORT SESSIONS COUNT SIZE_BYTES}. The server is given as an IP literal:
 * nothing is resolved. Prints one line: {@code sent=N failed=F seconds=S p50_ms=.. p99_ms=.. max_ms=..}; exits 1
 * if any message was not accepted with 250.
 */
public final class LatencyClient {

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LatencyClient IP PORT SESSIONS COUNT SIZE_BYTES");
            System.exit(2);
        }
        InetAddress ip = ipv4Literal(args[0]);
        int port = Integer.parseInt(args[1]);
        int sessions = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int size = Integer.parseInt(args[4]);
        byte[] body = body(size);
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < Math.min(sessions, count); s++) {
            threads.add(Thread.ofPlatform().name("session-" + s).start(() -> {
                try {
                    session(new InetSocketAddress(ip, port), body, count, next, latencies, errors);
                } catch (IOException e) {
                    errors.add(e.toString());
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] measured = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        int lost = count - measured.length;
        System.out.printf("sent=%d failed=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f%n", measured.length,
                lost, seconds, percentile(measured, 50), percentile(measured, 99),
                measured.length == 0 ? Double.NaN : measured[measured.length - 1] / 1e6);
        if (!errors.isEmpty()) {
            System.err.println("first errors: " + errors.subList(0, Math.min(5, errors.size())));
        }
        System.exit(lost == 0 ? 0 : 1);
    }

    private static void session(InetSocketAddress server, byte[] body, int count, AtomicInteger next,
            long[] latencies, List<String> errors) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(120_000);
            socket.connect(server, 10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            expect(in, "220", "greeting");
            command(out, "EHLO latency.bench.test");
            expect(in, "250", "EHLO");
            int index;
            while ((index = next.getAndIncrement()) < count) {
                command(out, "MAIL FROM:<latency@client.bench.test>");
                expect(in, "250", "MAIL");
                command(out, "RCPT TO:<user" + index + "@dest.bench.test>");
                expect(in, "250", "RCPT");
                command(out, "DATA");
                expect(in, "354", "DATA");
                out.write(body);
                out.flush();
                long before = System.nanoTime();
                out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String reply = readReply(in);
                long after = System.nanoTime();
                if (reply.startsWith("250")) {
                    latencies[index] = Math.max(1, after - before);
                } else {
                    errors.add("message " + index + ": " + reply);
                }
            }
            command(out, "QUIT");
            readReply(in);
        }
    }

    /** Headers and a body of 76-character lines, ending with CRLF, of about {@code size} bytes in all. */
    private static byte[] body(int size) {
        StringBuilder text = new StringBuilder("From: <latency@client.bench.test>\r\nTo: <user@dest.bench.test>\r\n"
                + "Subject: latency probe\r\nMessage-ID: <probe@client.bench.test>\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (text.length() + line.length() <= size) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void expect(InputStream in, String code, String step) throws IOException {
        String reply = readReply(in);
        if (!reply.startsWith(code)) {
            throw new IOException(step + ": expected " + code + ", got " + reply);
        }
    }

    /** Reads a whole (possibly multi-line) reply and returns its last line. */
    private static String readReply(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line.toString();
            }
        }
    }

    /** The server as an IPv4 literal, parsed here: no name ever reaches the JDK's resolver. */
    private static InetAddress ipv4Literal(String text) throws IOException {
        String[] parts = text.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            bytes[i] = (byte) value;
        }
        return InetAddress.getByAddress(bytes);
    }

    private static double percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }
}
