package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.heraldmta.testkit.HeraldWithQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue commands, status and reload against a real Herald whose queue holds mail to a domain whose MX host
 * refuses connections (deferred) beside delivered mail.
 */
class AdminCommandsAgainstHeraldTest {

    @TempDir
    static Path work;

    private static HeraldWithQueue herald;
    private static AdminCommandRunner cli;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        herald = HeraldWithQueue.start(work, 3, 1);
        Path clientDir = Files.createDirectories(work.resolve("client"));
        cli = AdminCommandRunner.forServer(clientDir, herald.adminAddress(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
    }

    @Test
    void statusCountsTheDeferredMailAndWhatWasDelivered() {
        AdminCommandRunner.Run run = cli.herald("status");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("on herald.test", "SMTP        127.0.0.1:" + herald.smtpPort())
                .containsPattern("queue       3 message\\(s\\): \\d+ queued, \\d+ active, \\d+ deferred, 0 held")
                .containsPattern("since start [4-9] received, [1-9] delivered");
    }

    @Test
    void listShowsEachDeferredMessageWithWhyItWaits() {
        AdminCommandRunner.Run run = cli.herald("queue", "list", "--domain", "dead.test");

        assertThat(run.code()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID ");
        for (String id : herald.deferredIds()) {
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(id)
                    .contains("@dead.test", "<shop@sender.test>"));
        }
        assertThat(lines.get(lines.size() - 1)).isEqualTo("3 row(s).");
    }

    @Test
    void showPrintsTheRecipientAndTheTranscriptOfTheRefusedConnection() {
        String id = herald.deferredIds().get(0);

        AdminCommandRunner.Run run = cli.herald("queue", "show", id);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Message " + id, "from      <shop@sender.test>", "customer1@dead.test",
                "Attempt 1, direct", HeraldWithQueue.DEAD_MX_IP);
    }

    @Test
    void holdThenReleaseMovesAMessageOutOfAndBackIntoDelivery() throws Exception {
        String id = herald.deferredIds().get(1);

        assertThat(cli.herald("queue", "hold", id).out()).isEqualTo("hold: 1 message(s): " + id + "\n");
        JsonNode held = json.readTree(cli.herald("queue", "list", "--state", "held", "--json").out());
        assertThat(held.path("entries").findValuesAsText("id")).containsExactly(id);

        assertThat(cli.herald("queue", "release", id).code()).isZero();
        JsonNode after = json.readTree(cli.herald("queue", "list", "--state", "held", "--json").out());
        assertThat(after.path("total").asInt()).isZero();
    }

    @Test
    void retryOfADomainMakesAnotherAttemptAtOnce() throws Exception {
        String id = herald.deferredIds().get(2);
        int before = attempts(id);

        AdminCommandRunner.Run run = cli.herald("queue", "retry", "--domain", "dead.test");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("retry: ").contains(id);
        HeraldWithQueue.await(() -> attempts(id) > before, "another attempt of " + id);
    }

    private int attempts(String id) throws Exception {
        return json.readTree(cli.herald("queue", "show", id, "--json").out()).path("attempts").size();
    }

    @Test
    void anUnknownMessageIsOneLineAndExitCodeOne() {
        AdminCommandRunner.Run run = cli.herald("queue", "show", "1M8YWY31D2S79EKX");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("herald: the server at " + herald.adminAddress() + " answered 404")
                .hasLineCount(1);
    }

    @Test
    void explainNamesTheRuleBehindEachSettingOfADomain() {
        AdminCommandRunner.Run run = cli.herald("config", "explain", "dead.test");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Settings for mail to dead.test")
                .containsPattern("direct_attempts +50 +domains\\.\"dead\\.test\"")
                .containsPattern("relay_attempts +0 +domains\\.default")
                .containsPattern("max_connections +\\d+ +built-in");
    }

    @Test
    void reloadOfAnUnchangedFileSaysSo() {
        AdminCommandRunner.Run run = cli.herald("reload");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Reloaded: ");
    }
}
