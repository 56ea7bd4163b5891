package org.heraldmta.testkit;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.heraldmta.config.DnsSettings;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.dns.AddressAnswer;
import org.heraldmta.dns.DnsJavaResolver;

/**
 * A real dnsmasq serving a {@code .test} zone on 127.0.0.1 and a free port, authoritative for {@code .test} only
 * (no upstream, no hosts file). Skips the calling test outside CI when dnsmasq is missing, fails it in CI.
 * Records are given as dnsmasq options, such as {@code --mx-host=example.test,mx1.example.test,10} and
 * {@code --host-record=mx1.example.test,127.0.0.2}.
 */
public final class Dnsmasq implements AutoCloseable {

    public static final String PATH = "/usr/sbin/dnsmasq";

    private final Process process;
    private final int port;

    private Dnsmasq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts dnsmasq with {@code records}; {@code probeHost} must be one of the host records, and is asked for
     * until dnsmasq answers.
     */
    public static Dnsmasq start(String probeHost, String... records) throws IOException, InterruptedException {
        for (int tries = 0; tries < 5; tries++) {
            Dnsmasq started = tryStart(freeUdpPort(), probeHost, records);
            if (started != null) {
                return started;
            }
        }
        throw new IllegalStateException("dnsmasq did not start on 127.0.0.1");
    }

    /** As {@link #start}, on a given port (a DNS server that comes back where it was). */
    public static Dnsmasq startOn(int port, String probeHost, String... records)
            throws IOException, InterruptedException {
        Dnsmasq started = tryStart(port, probeHost, records);
        if (started == null) {
            throw new IllegalStateException("dnsmasq did not start on 127.0.0.1:" + port);
        }
        return started;
    }

    /** A UDP port on 127.0.0.1 that nothing listens on (now). */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0))) {
            return probe.getLocalPort();
        }
    }

    private static Dnsmasq tryStart(int port, String probeHost, String... records)
            throws IOException, InterruptedException {
        RealPeers.requireTool(PATH);
        List<String> command = new ArrayList<>(List.of(PATH, "--keep-in-foreground", "--no-resolv",
                "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1", "--port=" + port,
                "--local=/test/", "--pid-file=", "--conf-file=/dev/null"));
        command.addAll(List.of(records));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(File.createTempFile("dnsmasq", ".log")).start();
        Dnsmasq started = new Dnsmasq(process, port);
        if (started.answers(probeHost)) {
            return started;
        }
        started.close();
        return null;
    }

    private boolean answers(String probeHost) throws InterruptedException {
        DnsJavaResolver probe = resolver();
        for (int i = 0; i < 50 && process.isAlive(); i++) {
            if (probe.lookupAddresses(probeHost) instanceof AddressAnswer.Addresses) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    public int port() {
        return port;
    }

    /** The server as written in Herald's {@code [dns] servers}. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    public DnsSettings settings() {
        return new DnsSettings(List.of(new ListenAddress("127.0.0.1", port)), Duration.ofMillis(500));
    }

    /** A fresh resolver (empty cache) asking this dnsmasq. */
    public DnsJavaResolver resolver() {
        return new DnsJavaResolver(settings(), InstantSource.system(), new Random(1));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
