package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heraldmta.testkit.Dnsmasq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigExplainTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run herald(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path config(String dns) throws IOException {
        // No fixed admin port: no server can be asked, so the settings are worked out from this file.
        return Files.writeString(dir.resolve("herald.toml"), """
                [admin]
                listen = "127.0.0.1:0"
                [dns]
                servers = ["%s"]
                timeout = "1s"
                [domains.default]
                max_connections = 4
                [domains."*.example.test"]
                port = 2526
                [mx."*.outlook.test"]
                max_connections = 10
                """.formatted(dns));
    }

    @Test
    void explainPrintsEveryKeyWithItsValueAndSourceForTheGivenMxHosts() throws Exception {
        Path file = config("127.0.0.1:9");

        Run run = herald("config", "explain", "shop.example.test", "--config", file.toString(),
                "--mx", "mx1.outlook.test", "mx2.outlook.test");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Destination: MX rule *.outlook.test")
                .containsPattern("max_connections +10 +mx\\.\"\\*\\.outlook\\.test\"")
                .containsPattern("port +2526 +domains\\.\"\\*\\.example\\.test\"")
                .containsPattern("max_age +\"5d\" +built-in")
                .containsPattern("direct_attempts +3 +built-in");
    }

    @Test
    void withNoServerAtTheAdminAddressItSaysSoAndWorksTheSettingsOutFromTheFile() throws Exception {
        int closedPort = org.heraldmta.testkit.SmtpSink.freePort("127.0.0.1");
        try (Dnsmasq dns = Dnsmasq.start("mx.shop.example.test",
                "--mx-host=shop.example.test,mx.shop.example.test,10",
                "--host-record=mx.shop.example.test,127.0.0.2")) {
            Path file = Files.writeString(dir.resolve("stopped.toml"), """
                    [admin]
                    listen = "127.0.0.1:%d"
                    [dns]
                    servers = ["%s"]
                    [domains."shop.example.test"]
                    max_connections = 3
                    """.formatted(closedPort, dns.server()));

            Run table = herald("config", "explain", "shop.example.test", "--config", file.toString());
            Run json = herald("config", "explain", "shop.example.test", "--config", file.toString(), "--json",
                    "--mx", "mx.shop.example.test");

            assertThat(table.code()).as(table.err()).isZero();
            assertThat(table.out()).startsWith("(the server is not running at 127.0.0.1:" + closedPort
                    + " (connection refused): worked out from " + file + ")")
                    .contains("MX hosts: mx.shop.example.test")
                    .containsPattern("max_connections +3 +domains\\.\"shop\\.example\\.test\"");
            assertThat(json.code()).as(json.err()).isZero();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out())
                    .at("/settings/max_connections/source").asText()).isEqualTo("domains.\"shop.example.test\"");
        }
    }

    @Test
    void withoutMxItAsksHeraldsResolver() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start("mx1.outlook.test", "--mx-host=hotmail.test,mx1.outlook.test,10",
                "--host-record=mx1.outlook.test,127.0.0.2")) {
            Path file = config(dns.server());

            Run run = herald("config", "explain", "hotmail.test", "--config", file.toString());

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("MX hotmail.test: 10 mx1.outlook.test", "Destination: MX rule "
                    + "*.outlook.test").containsPattern("max_connections +10 +mx\\.\"\\*\\.outlook\\.test\"");
        }
    }

    @Test
    void aDnsFailureOrABadFileExitsNonZeroWithOneLine() throws Exception {
        int silentPort;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            silentPort = socket.getLocalPort();
        }
        Path file = config("127.0.0.1:" + silentPort);

        Run dnsFailed = herald("config", "explain", "hotmail.test", "--config", file.toString());
        Files.writeString(dir.resolve("bad.toml"), "[domains.default]\ntls = \"maybe\"\n");
        Run bad = herald("config", "explain", "hotmail.test", "--config", dir.resolve("bad.toml").toString(),
                "--mx", "mx1.outlook.test");

        assertThat(dnsFailed.code()).isEqualTo(1);
        assertThat(dnsFailed.err().strip()).startsWith("herald: hotmail.test: MX look-up failed").doesNotContain("\n");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip()).contains("domains.default.tls: must be one of").doesNotContain("\n");
    }
}
