package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.heraldmta.testkit.FakeAdminApi;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald config explain DOMAIN} against a stand-in admin API. */
class ConfigExplainCommandTest {

    @AutoClose
    private final FakeAdminApi api = FakeAdminApi.start();
    private final AdminCommandRunner cli;

    ConfigExplainCommandTest(@TempDir Path dir) throws IOException {
        cli = AdminCommandRunner.forServer(dir, "127.0.0.1:" + api.port(), null);
    }

    @Test
    void eachSettingIsShownWithTheRuleThatSetIt() {
        api.answer("GET /api/v1/domains/example.com/settings", """
                {"domain": "example.com", "settings": {
                  "max_connections": {"value": 2, "source": "domains.\\"example.com\\""},
                  "delay_after_failure": {"value": ["1m", "5m"], "source": "domains.default"},
                  "max_age": {"value": "5d", "source": "built-in"}}}""");

        AdminCommandRunner.Run run = cli.herald("config", "explain", "example.com");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).containsExactly(
                "Settings for mail to example.com",
                "  SETTING              VALUE        SET BY",
                "  max_connections      2            domains.\"example.com\"",
                "  delay_after_failure  [\"1m\",\"5m\"]  domains.default",
                "  max_age              5d           built-in");
    }

    @Test
    void aNameTheServerRefusesIsOneLine() {
        api.answer("GET /api/v1/domains/under_score.test/settings", 400,
                "{\"error\": \"domain: not a domain name: under_score.test\"}");

        AdminCommandRunner.Run run = cli.herald("config", "explain", "under_score.test");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("herald: the server at 127.0.0.1:" + api.port()
                + " answered 400: domain: not a domain name: under_score.test\n");
        assertThat(api.requests()).extracting(FakeAdminApi.Request::query).containsExactly(java.util.Map.of());
        assertThat(run.out()).isEmpty();
    }
}
