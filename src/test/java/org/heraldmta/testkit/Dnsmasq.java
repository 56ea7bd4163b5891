package org.heraldmta.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real dnsmasq on 127.0.0.1 and a free port, serving a {@code .test} zone given as dnsmasq options
 * ({@code mx-host=example.test,mx1.example.test,10}, {@code host-record=mx1.example.test,127.0.0.2}).
 */
public final class Dnsmasq implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/dnsmasq";

    private final Process process;
    private final int port;

    private Dnsmasq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Dnsmasq start(Path workDir, List<String> zoneOptions) throws IOException, InterruptedException {
        RealPeers.requireTool(BINARY);
        int port = freeUdpPort();
        Path conf = workDir.resolve("dnsmasq-" + port + ".conf");
        List<String> lines = new ArrayList<>(List.of("keep-in-foreground", "no-resolv", "no-hosts", "bind-interfaces",
                "listen-address=127.0.0.1", "port=" + port, "local=/test/", "pid-file=", "user=root",
                "log-facility=-", "no-negcache"));
        lines.addAll(zoneOptions);
        Files.write(conf, lines);
        Process process = new ProcessBuilder(BINARY, "--conf-file=" + conf).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("dnsmasq-" + port + ".log").toFile()).start();
        Dnsmasq dnsmasq = new Dnsmasq(process, port);
        Thread.sleep(300);
        if (!process.isAlive()) {
            throw new IOException("dnsmasq exited: " + Files.readString(workDir.resolve("dnsmasq-" + port + ".log")));
        }
        return dnsmasq;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }

    /** The server as written in Herald's {@code [dns] servers}. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
