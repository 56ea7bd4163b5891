package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.heraldmta.testkit.FakeAdminApi;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald queue list|show|retry...} against a stand-in admin API answering as docs/API.md says. */
class QueueCommandTest {

    static final String QUEUE_PAGE = """
            {"total": 3, "offset": 0, "limit": 2, "entries": [
              {"id": "1M8YWY31D2S79EKK", "sender": "shop@sender.test", "domain": "dead.test",
               "recipients": ["ann@dead.test", "bob@dead.test"], "state": "deferred",
               "received": "2026-12-04T00:41:00.123Z", "age_seconds": 305, "size": 4300, "attempts": 2,
               "next_attempt": "2026-12-04T00:50:00Z", "reason": "retry after a failed attempt",
               "reason_until": "2026-12-04T00:50:00Z", "last_reply": "connection refused by 127.0.0.31:25"},
              {"id": "1M8YWY31D2S79EKM", "sender": "", "domain": "direct.test", "recipients": ["c@direct.test"],
               "state": "queued", "received": "2026-12-04T00:45:00Z", "age_seconds": 5, "size": 812,
               "attempts": 0, "next_attempt": null, "reason": null, "reason_until": null, "last_reply": null}]}
            """;

    static final String MESSAGE = """
            {"id": "1M8YWY31D2S79EKK", "sender": "shop@sender.test", "received": "2026-12-04T00:41:00.123Z",
             "size": 4300, "state": "deferred",
             "parts": [{"id": "1M8YWY31D2S79EKK", "sender": "shop@sender.test", "domain": "dead.test",
               "recipients": ["ann@dead.test"], "state": "deferred", "received": "2026-12-04T00:41:00.123Z",
               "age_seconds": 305, "size": 4300, "attempts": 2, "next_attempt": "2026-12-04T00:50:00Z",
               "reason": "retry after a failed attempt", "reason_until": "2026-12-04T00:50:00Z",
               "last_reply": "connection refused"}],
             "recipients": [{"address": "ann@dead.test", "domain": "dead.test", "status": "pending",
               "direct_attempts": 2, "relay_attempts": 0, "next_attempt": "2026-12-04T00:50:00Z",
               "last_step": "connect", "last_reply": "connection refused by 127.0.0.31:25"}],
             "attempts": [{"attempt": 1, "mode": "direct", "started": "2026-12-04T00:41:01Z",
               "duration_seconds": 0.012, "lines": [
                 {"time": "2026-12-04T00:41:01.002Z", "kind": "info", "text": "connecting to 127.0.0.31:25"},
                 {"time": "2026-12-04T00:41:01.010Z", "kind": "error", "text": "connection refused"}]},
              {"attempt": 2, "mode": "direct", "started": "2026-12-04T00:43:01Z", "duration_seconds": 0.5,
               "lines": [{"time": "2026-12-04T00:43:01.100Z", "kind": "sent", "text": "EHLO herald.test"},
                 {"time": "2026-12-04T00:43:01.200Z", "kind": "received", "text": "421 4.7.0 try later"}]}],
             "events": []}
            """;

    @AutoClose
    private final FakeAdminApi api = FakeAdminApi.start();
    private final AdminCommandRunner cli;

    QueueCommandTest(@TempDir Path dir) throws IOException {
        cli = AdminCommandRunner.forServer(dir, "127.0.0.1:" + api.port(), null);
    }

    private static String local(String instant) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                .format(Instant.parse(instant));
    }

    @Test
    void listPrintsAnAlignedTableWithTheReasonAndSaysWhichRowsOfHowManyAreShown() {
        api.answer("GET /api/v1/queue", QUEUE_PAGE);

        AdminCommandRunner.Run run = cli.herald("queue", "list", "--limit", "2");

        assertThat(run.code()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("STATE", "AGE", "SIZE", "TRIES", "SENDER", "RECIPIENTS",
                "NEXT ATTEMPT", "WHY");
        assertThat(lines.get(1)).startsWith("1M8YWY31D2S79EKK  deferred").contains("5m 05s", "4.2 KiB",
                "<shop@sender.test>", "ann@dead.test +1", local("2026-12-04T00:50:00Z"),
                "retry after a failed attempt");
        assertThat(lines.get(2)).startsWith("1M8YWY31D2S79EKM  queued").contains("<>", "812 B", "c@direct.test");
        // columns line up: the recipients start at the same place in both rows, sizes end at the same place
        assertThat(lines.get(1).indexOf("ann@dead.test")).isEqualTo(lines.get(2).indexOf("c@direct.test"));
        assertThat(lines.get(1).indexOf("KiB") + 3).isEqualTo(lines.get(2).indexOf(" B") + 2);
        assertThat(lines.get(3)).isEqualTo("Rows 1-2 of 3 (--offset and --limit page).");
    }

    @Test
    void listPassesItsFiltersToTheApi() {
        api.answer("GET /api/v1/queue", "{\"total\": 0, \"offset\": 0, \"limit\": 100, \"entries\": []}");

        AdminCommandRunner.Run run = cli.herald("queue", "list", "--domain", "dead.test", "--state", "deferred",
                "--sender", "shop");

        assertThat(run.out()).isEqualTo("The queue is empty for these filters.\n");
        Map<String, List<String>> query = api.requests().get(0).query();
        assertThat(query).containsEntry("domain", List.of("dead.test")).containsEntry("state", List.of("deferred"))
                .containsEntry("sender", List.of("shop")).containsEntry("limit", List.of("100"))
                .doesNotContainKey("recipient");
    }

    @Test
    void listWithJsonPrintsTheApisAnswer() throws Exception {
        api.answer("GET /api/v1/queue", QUEUE_PAGE);

        AdminCommandRunner.Run run = cli.herald("queue", "list", "--json");

        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(run.out())).isEqualTo(json.readTree(QUEUE_PAGE));
    }

    @Test
    void showPrintsEnvelopeRecipientsTheWaitReasonAndEveryAttemptsTranscript() {
        api.answer("GET /api/v1/queue/1M8YWY31D2S79EKK", MESSAGE);

        AdminCommandRunner.Run run = cli.herald("queue", "show", "1M8YWY31D2S79EKK");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Message 1M8YWY31D2S79EKK  deferred", "from      <shop@sender.test>",
                "received  " + local("2026-12-04T00:41:00.123Z"), "size      4.2 KiB",
                "retry after a failed attempt",
                "ann@dead.test  pending", "connect", "connection refused by 127.0.0.31:25",
                "Attempt 1, direct, " + local("2026-12-04T00:41:01Z") + ", 0.012 s",
                "-- connecting to 127.0.0.31:25", "!! connection refused",
                ">> EHLO herald.test", "<< 421 4.7.0 try later");
    }

    @Test
    void showOfAnUnknownMessageExitsOneWithTheServersReason() {
        api.answer("GET /api/v1/queue/1M8YWY31D2S79EKX", 404, "{\"error\": \"no such message: 1M8YWY31D2S79EKX\"}");

        AdminCommandRunner.Run run = cli.herald("queue", "show", "1M8YWY31D2S79EKX");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("herald: the server at 127.0.0.1:" + api.port()
                + " answered 404: no such message: 1M8YWY31D2S79EKX\n");
    }

    @Test
    void retryOfSeveralIdsAsksForEachAndSumsWhatWasAffected() {
        api.answer("POST /api/v1/queue/AAAA/retry", "{\"action\": \"retry\", \"affected\": 1, \"ids\": [\"AAAA\"]}")
                .answer("POST /api/v1/queue/BBBB/retry", "{\"action\": \"retry\", \"affected\": 1, \"ids\": [\"BBBB\"]}");

        AdminCommandRunner.Run run = cli.herald("queue", "retry", "AAAA", "BBBB");

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("retry: 2 message(s): AAAA BBBB\n");
        assertThat(api.requests()).extracting(FakeAdminApi.Request::method).containsOnly("POST");
    }

    @Test
    void anUnknownIdAmongSeveralIsReportedAndTheOthersStillHappen() {
        api.answer("POST /api/v1/queue/AAAA/hold", "{\"action\": \"hold\", \"affected\": 1, \"ids\": [\"AAAA\"]}")
                .answer("POST /api/v1/queue/ZZZZ/hold", 404, "{\"error\": \"no such message: ZZZZ\"}");

        AdminCommandRunner.Run run = cli.herald("queue", "hold", "ZZZZ", "AAAA");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("herald: ZZZZ: ", "no such message: ZZZZ");
        assertThat(run.out()).isEqualTo("hold: 1 message(s): AAAA\n");
    }

    @Test
    void actionsOnADomainOrEverythingUseTheBulkEndpoint() {
        api.answer("POST /api/v1/queue/bounce", "{\"action\": \"bounce\", \"affected\": 3, \"ids\": [\"A\", \"B\", \"C\"]}")
                .answer("POST /api/v1/queue/release", "{\"action\": \"release\", \"affected\": 0, \"ids\": []}");

        AdminCommandRunner.Run bounce = cli.herald("queue", "bounce", "--domain", "dead.test");
        AdminCommandRunner.Run release = cli.herald("queue", "release", "--all", "--json");

        assertThat(bounce.out()).isEqualTo("bounce: 3 message(s): A B C\n");
        assertThat(release.out()).isEqualTo("{\"action\":\"release\",\"affected\":0,\"ids\":[]}\n");
        assertThat(api.requests()).extracting(FakeAdminApi.Request::query)
                .containsExactly(Map.of("domain", List.of("dead.test")), Map.of("all", List.of("true")));
    }

    @Test
    void anActionNeedsExactlyOneOfIdsDomainOrAllAndExplainsItselfWithHelp() {
        AdminCommandRunner.Run none = cli.herald("queue", "delete");
        AdminCommandRunner.Run both = cli.herald("queue", "delete", "--all", "--domain", "dead.test");
        AdminCommandRunner.Run help = cli.herald("queue", "bounce", "--help");

        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required argument");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: herald queue bounce", "(ID... | --domain=D | --all)");
        assertThat(api.requests()).isEmpty();
    }
}
