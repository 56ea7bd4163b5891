package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.heraldmta.testkit.FakeAdminApi;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald status} and {@code herald reload}, and how every admin command fails when it cannot talk. */
class StatusAndReloadCommandTest {

    static final String STATUS = """
            {"hostname": "mx.herald.test", "version": "0.1.0", "started": "2026-12-04T00:00:00Z",
             "uptime_seconds": 7805, "smtp_listeners": ["127.0.0.1:2525", "[::1]:2525"],
             "queue": {"queued": 3, "active": 1, "deferred": 8, "held": 0, "messages": 12},
             "connections_in_use": 2,
             "counters": {"received": 100, "delivered": 90, "deferred": 8, "bounced": 2, "expired": 0}}
            """;

    @TempDir
    Path dir;

    @AutoClose
    private final FakeAdminApi api = FakeAdminApi.start();

    @Test
    void statusSummarisesListenersQueueConnectionsAndCounters() throws Exception {
        api.answer("GET /api/v1/status", STATUS);
        AdminCommandRunner cli = AdminCommandRunner.forServer(dir, "127.0.0.1:" + api.port(), null);

        AdminCommandRunner.Run run = cli.herald("status");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Herald 0.1.0 on mx.herald.test, up 2h 10m",
                "SMTP        127.0.0.1:2525, [::1]:2525",
                "admin API   127.0.0.1:" + api.port(),
                "queue       12 message(s): 3 queued, 1 active, 8 deferred, 0 held",
                "connections 2 in use",
                "since start 100 received, 90 delivered, 8 deferred, 2 bounced, 0 expired");
    }

    @Test
    void theTokenFromTheConfigFileIsSentAsBearerAndAWildcardListenIsReachedOverLoopback() throws Exception {
        api.answer("GET /api/v1/status", STATUS);
        AdminCommandRunner cli = AdminCommandRunner.forServer(dir, "0.0.0.0:" + api.port(), "s3cret");

        AdminCommandRunner.Run run = cli.herald("status", "--json");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("\"hostname\": \"mx.herald.test\"");
        assertThat(api.requests().get(0).authorization()).isEqualTo("Bearer s3cret");
    }

    @Test
    void reloadSaysWhatChangedOrPrintsTheLoadersReason() throws Exception {
        AdminCommandRunner cli = AdminCommandRunner.forServer(dir, "127.0.0.1:" + api.port(), null);
        api.answer("POST /api/v1/reload", "{\"ok\": true, \"changed\": [\"domains\", \"relay\"], \"restart_needed\": []}");
        assertThat(cli.herald("reload").out()).isEqualTo("Reloaded: domains, relay changed.\n");
        api.answer("POST /api/v1/reload", "{\"ok\": true, \"changed\": [\"domains\", \"smtp\"], "
                + "\"restart_needed\": [\"smtp\"]}");
        assertThat(cli.herald("reload").out())
                .isEqualTo("Reloaded: domains, smtp changed.\nTakes effect at the next start: smtp.\n");

        api.answer("POST /api/v1/reload", 400,
                "{\"error\": \"herald.toml: domains.default.max_connections: a whole number from 1 to 1000\"}");
        AdminCommandRunner.Run refused = cli.herald("reload");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("herald: the server at 127.0.0.1:" + api.port() + " answered 400: "
                + "herald.toml: domains.default.max_connections: a whole number from 1 to 1000\n");
    }

    @Test
    void everyCommandSaysInOneLineThatTheServerIsNotRunning() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closed = socket.getLocalPort();
        }
        AdminCommandRunner cli = AdminCommandRunner.forServer(dir, "127.0.0.1:" + closed, null);

        for (String[] command : new String[][] {{"status"}, {"reload"}, {"queue", "list"},
                {"queue", "show", "1M8YWY31D2S79EKK"}, {"queue", "retry", "--all"}}) {
            AdminCommandRunner.Run run = cli.herald(command);
            assertThat(run.code()).as(String.join(" ", command)).isEqualTo(1);
            assertThat(run.err()).as(String.join(" ", command))
                    .isEqualTo("herald: the server is not running at 127.0.0.1:" + closed + " (connection refused)\n");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void anAnswerThatIsNotJsonIsReportedNotParsed() throws Exception {
        api.answer("GET /api/v1/status", "<html>a proxy</html>");
        AdminCommandRunner cli = AdminCommandRunner.forServer(dir, "127.0.0.1:" + api.port(), null);

        AdminCommandRunner.Run run = cli.herald("status");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("with something that is not JSON: <html>a proxy</html>");
    }
}
