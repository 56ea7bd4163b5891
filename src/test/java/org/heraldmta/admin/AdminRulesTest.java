package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heraldmta.mail.Domain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules through the API: read, replaced after the loader's check, written back, applied. */
class AdminRulesTest {

    @TempDir
    Path dir;

    private AdminHarness herald;

    @BeforeEach
    void start() throws Exception {
        herald = AdminHarness.start(dir, """

                # the MX of example.test is small
                [domains."example.test"]
                max_connections = 1

                # kept: the DNS server on the test machine
                [dns]
                servers = ["127.0.0.1:5353"]
                """);
    }

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void theRulesAreShownAsWritten() throws Exception {
        JsonNode rules = AdminHarness.ok(herald.get("/api/v1/rules"));

        assertThat(rules).isEqualTo(AdminHarness.JSON.readTree("""
                {"default": {}, "domains": {"example.test": {"max_connections": 1}}, "mx": {}}"""));
    }

    @Test
    void aBadValueIsRefusedWithTheLoadersMessageAndTheFileIsUntouched() throws Exception {
        String before = Files.readString(herald.configFile);

        HttpResponse<String> refused = herald.put("/api/v1/rules", """
                {"default": {}, "domains": {"example.test": {"max_connections": 0}}}""");
        HttpResponse<String> notJson = herald.put("/api/v1/rules", "{max_connections");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(refused).path("error").asText()).contains("herald.toml")
                .contains("max_connections");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(notJson).path("error").asText()).startsWith("body: not JSON");
        assertThat(Files.readString(herald.configFile)).isEqualTo(before);
        assertThat(herald.config.current().domains().forDomain(Domain.of("example.test")).maxConnections())
                .isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("herald.toml", "var");
        }
    }

    @Test
    void goodRulesAreWrittenBackWithTheCommentsOutsideThemAndApplied() throws Exception {
        HttpResponse<String> saved = herald.put("/api/v1/rules", """
                {"default": {"max_connections": 4},
                 "domains": {"example.test": {"max_connections": 2, "delay_after_failure": ["10s", "1m"]}}}""");

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(AdminHarness.json(saved).path("ok").asBoolean()).isTrue();
        String file = Files.readString(herald.configFile);
        assertThat(file).startsWith("# Herald test configuration\nhostname = \"herald.test\"\n")
                .contains("# kept: the DNS server on the test machine\n[dns]\nservers = [\"127.0.0.1:5353\"]\n")
                .contains("[domains.default]\nmax_connections = 4\n")
                .doesNotContain("the MX of example.test is small");
        assertThat(herald.config.current().domains().forDomain(Domain.of("example.test")).maxConnections())
                .isEqualTo(2);
        assertThat(herald.config.current().domains().forDomain(Domain.of("other.test")).maxConnections())
                .isEqualTo(4);
        JsonNode settings = AdminHarness.ok(herald.get("/api/v1/domains/example.test/settings")).path("settings");
        assertThat(settings.path("delay_after_failure").path("value").get(0).asText()).isEqualTo("10s");
        assertThat(settings.path("max_connections").path("source").asText()).isEqualTo("domains.\"example.test\"");
        JsonNode other = AdminHarness.ok(herald.get("/api/v1/domains/other.test/settings")).path("settings");
        assertThat(other.path("max_connections").path("source").asText()).isEqualTo("domains.default");
    }
}
