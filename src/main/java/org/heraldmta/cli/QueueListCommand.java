package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code herald queue list}: one row per message and recipient domain, newest first. */
@Command(name = "list", description = "List the queue, newest first: one row per message and recipient domain.")
final class QueueListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions admin = new AdminOptions();

    @Option(names = "--domain", paramLabel = "D", description = "only mail to this recipient domain")
    String domain;

    @Option(names = "--state", paramLabel = "S", description = "queued, active, deferred or held")
    String state;

    @Option(names = "--sender", paramLabel = "TEXT", description = "sender contains TEXT (case-insensitive)")
    String sender;

    @Option(names = "--recipient", paramLabel = "TEXT", description = "a recipient contains TEXT (case-insensitive)")
    String recipient;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "at most N rows (default 100, "
            + "at most 1000)")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "skip the first N rows")
    int offset;

    @Override
    public Integer call() throws ConfigException, AdminApiException {
        PrintWriter out = spec.commandLine().getOut();
        String query = new QueryString().add("domain", domain).add("state", state).add("sender", sender)
                .add("recipient", recipient).add("offset", offset).add("limit", limit).toString();
        AdminClient.AdminReply reply = admin.client().get("/api/v1/queue" + query);
        if (admin.printedAsJson(out, reply)) {
            return 0;
        }
        JsonNode page = reply.json();
        HumanFormat format = new HumanFormat(ZoneId.systemDefault());
        TextTable table = new TextTable("ID", "STATE", "AGE", "SIZE", "TRIES", "SENDER", "RECIPIENTS",
                "NEXT ATTEMPT", "WHY").numeric("AGE", "SIZE", "TRIES");
        for (JsonNode entry : page.path("entries")) {
            table.row(entry.path("id").asText(), entry.path("state").asText(),
                    HumanFormat.duration(entry.path("age_seconds").asLong()),
                    HumanFormat.size(entry.path("size").asLong()), entry.path("attempts").asInt(),
                    "<" + entry.path("sender").asText() + ">", recipients(entry.path("recipients")),
                    format.time(entry.get("next_attempt")),
                    firstOf(HumanFormat.text(entry, "reason"), HumanFormat.text(entry, "last_reply")));
        }
        long total = page.path("total").asLong();
        if (table.isEmpty()) {
            out.println(total == 0 ? "The queue is empty" + (filtered() ? " for these filters." : ".")
                    : "No rows from " + (offset + 1) + " on (" + total + " in all).");
            return 0;
        }
        table.print(out, "");
        int shown = page.path("entries").size();
        if (shown < total) {
            out.printf("Rows %d-%d of %d (--offset and --limit page).%n", offset + 1, offset + shown, total);
        } else {
            out.printf("%d row(s).%n", total);
        }
        return 0;
    }

    /** The first recipient, and how many more: "ann@example.com +2". */
    private static String recipients(JsonNode addresses) {
        if (addresses.isEmpty()) {
            return null;
        }
        String first = addresses.get(0).asText();
        return addresses.size() == 1 ? first : first + " +" + (addresses.size() - 1);
    }

    private boolean filtered() {
        return domain != null || state != null || sender != null || recipient != null;
    }

    private static String firstOf(String first, String second) {
        return first != null ? first : second;
    }
}
