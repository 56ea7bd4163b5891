package org.heraldmta.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code herald serve} in a child JVM with the test class path, so that tests can kill it with SIGKILL and
 * start it again on the same data directory.
 */
public final class HeraldProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private HeraldProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code herald serve --config configFile} and waits until {@code smtpPort} accepts connections. */
    public static HeraldProcess start(Path configFile, int smtpPort, Path output) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+EnableDynamicAgentLoading");
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.heraldmta.cli.Main");
        command.add("serve");
        command.add("--config");
        command.add(configFile.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        HeraldProcess herald = new HeraldProcess(process, output);
        herald.awaitPort(smtpPort, Duration.ofSeconds(30));
        return herald;
    }

    private void awaitPort(int port, Duration limit) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("herald exited with " + process.exitValue() + ":\n" + Files.readString(output));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("herald did not open port " + port + " in " + limit + ":\n" + Files.readString(output));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The process id, to send it a signal. */
    public long pid() {
        return process.pid();
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
