package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.heraldmta.testkit.HeraldProcess;
import org.heraldmta.testkit.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald serve} reloads its configuration file on SIGHUP, as daemons do. */
class ReloadOnHangupTest {

    @TempDir
    Path work;

    private static String config(int smtpPort, int adminPort, int maxConnections) {
        return """
                hostname = "herald.test"
                data_dir = "var"
                [smtp]
                listen = ["127.0.0.1:%d"]
                [admin]
                listen = "127.0.0.1:%d"
                [domains."slow.test"]
                max_connections = %d
                """.formatted(smtpPort, adminPort, maxConnections);
    }

    @Test
    void aHangupSignalAppliesTheEditedFile() throws Exception {
        int smtpPort = SmtpSink.freePort("127.0.0.1");
        int adminPort = SmtpSink.freePort("127.0.0.1");
        Path file = work.resolve("herald.toml");
        Files.writeString(file, config(smtpPort, adminPort, 2));
        try (HeraldProcess herald = HeraldProcess.start(file, smtpPort, work.resolve("herald.log"));
             HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest settings = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                    + "/api/v1/domains/slow.test/settings")).build();
            assertThat(awaitMaxConnections(http, settings, 2)).as("the admin API opens after SMTP").isEqualTo(2);

            Files.writeString(file, config(smtpPort, adminPort, 9));
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(herald.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(awaitMaxConnections(http, settings, 9)).as(herald.output()).isEqualTo(9);
            assertThat(herald.output()).contains("configuration reloaded from " + file).contains("changed [domains]");
        }
    }

    private static int awaitMaxConnections(HttpClient http, HttpRequest request, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int seen = -1;
        while (seen != expected && System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                seen = new ObjectMapper().readTree(response.body()).path("settings").path("max_connections")
                        .path("value").asInt();
            } catch (java.io.IOException notYetListening) {
                seen = -1;
            }
            if (seen != expected) {
                Thread.sleep(50);
            }
        }
        return seen;
    }
}
