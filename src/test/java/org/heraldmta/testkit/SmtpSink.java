package org.heraldmta.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Postfix's smtp-sink on a loopback address, saving every message it receives ({@code -d DIR}) so that tests can
 * count and read what arrived.
 */
public final class SmtpSink implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/smtp-sink";

    private final Process process;
    private final Path dumpDir;
    private final String ip;
    private final int port;

    private SmtpSink(Process process, Path dumpDir, String ip, int port) {
        this.process = process;
        this.dumpDir = dumpDir;
        this.ip = ip;
        this.port = port;
    }

    /**
     * Starts smtp-sink on {@code ip:port} (port 0: a free one).
     *
     * @param extraOptions options before the address, e.g. {@code "-r", "rcpt"} or {@code -Q} hard rejects
     */
    public static SmtpSink start(Path workDir, String ip, int port, String... extraOptions)
            throws IOException, InterruptedException {
        RealPeers.requireTool(BINARY);
        int chosen = port == 0 ? freePort(ip) : port;
        // smtp-sink writes as nobody: its dump directory must be reachable by everyone, unlike JUnit's temp dirs.
        Path dump = Files.createTempDirectory("herald-sink-");
        Files.setPosixFilePermissions(dump, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> command = new ArrayList<>(List.of(BINARY, "-u", "nobody", "-d", dump + "/%M%S.", "-c", "-8", "-p",
                "-h", "sink.test"));
        command.addAll(List.of(extraOptions));
        command.add(ip + ":" + chosen);
        command.add("256");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("sink-" + ip + "-" + chosen + ".log").toFile()).start();
        SmtpSink sink = new SmtpSink(process, dump, ip, chosen);
        sink.awaitListening();
        return sink;
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByAddress(org.heraldmta.config.IpLiterals.toBytes(ip)),
                        port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("smtp-sink exited with " + process.exitValue());
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("smtp-sink did not listen on " + ip + ":" + port);
    }

    public static int freePort(String ip) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(org.heraldmta.config.IpLiterals.toBytes(ip)), 0));
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String ip() {
        return ip;
    }

    /** The messages received so far, each as smtp-sink saved it (its own header lines, then the message). */
    public List<String> messages() throws IOException {
        try (Stream<Path> files = Files.list(dumpDir)) {
            List<String> out = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                out.add(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return out;
        }
    }

    public int messageCount() throws IOException {
        try (Stream<Path> files = Files.list(dumpDir)) {
            return (int) files.count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
