package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald queue show ID}: a message as the running server sees it: envelope, each recipient's state, why
 * each part waits, and every attempt's transcript.
 */
@Command(name = "show", description = "Show one message: envelope, recipients, why it waits, every attempt's "
        + "transcript.")
final class QueueShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions admin = new AdminOptions();

    @Parameters(paramLabel = "ID", description = "the queue id from the server's 250 reply")
    String id;

    @Override
    public Integer call() throws ConfigException, AdminApiException {
        PrintWriter out = spec.commandLine().getOut();
        AdminClient.AdminReply reply = admin.client().get("/api/v1/queue/" + QueryString.segment(id.trim()));
        if (admin.printedAsJson(out, reply)) {
            return 0;
        }
        print(reply.json(), new HumanFormat(ZoneId.systemDefault()), out);
        return 0;
    }

    static void print(JsonNode message, HumanFormat format, PrintWriter out) {
        out.printf("Message %s  %s%n", message.path("id").asText(), message.path("state").asText("-"));
        out.printf("  from      <%s>%n", message.path("sender").asText());
        out.printf("  received  %s%n", format.time(message.get("received")));
        out.printf("  size      %s%n", HumanFormat.size(message.path("size").asLong()));

        if (!message.path("parts").isEmpty()) {
            out.println();
            out.println("Waiting");
            TextTable parts = new TextTable("DOMAIN", "STATE", "TRIES", "NEXT ATTEMPT", "WHY").numeric("TRIES");
            // the server's reason is a sentence that already says until when (reason_until is for machines)
            for (JsonNode part : message.path("parts")) {
                parts.row(part.path("domain").asText(), part.path("state").asText(), part.path("attempts").asInt(),
                        format.time(part.get("next_attempt")), HumanFormat.text(part, "reason"));
            }
            parts.print(out, "  ");
        }

        if (!message.path("recipients").isEmpty()) {
            out.println();
            out.println("Recipients");
            TextTable recipients = new TextTable("ADDRESS", "STATUS", "DIRECT", "RELAY", "NEXT ATTEMPT", "LAST STEP",
                    "LAST REPLY").numeric("DIRECT", "RELAY");
            for (JsonNode r : message.path("recipients")) {
                recipients.row(r.path("address").asText(), r.path("status").asText(),
                        r.path("direct_attempts").asInt(), r.path("relay_attempts").asInt(),
                        format.time(r.get("next_attempt")), HumanFormat.text(r, "last_step"),
                        HumanFormat.text(r, "last_reply"));
            }
            recipients.print(out, "  ");
        }

        if (message.path("attempts").isEmpty()) {
            out.println();
            out.println("No attempt yet.");
        }
        for (JsonNode attempt : message.path("attempts")) {
            out.println();
            out.printf("Attempt %d, %s, %s, %.3f s%n", attempt.path("attempt").asInt(),
                    attempt.path("mode").asText(), format.time(attempt.get("started")),
                    attempt.path("duration_seconds").asDouble());
            for (JsonNode line : attempt.path("lines")) {
                out.printf("  %s %s %s%n", format.clock(line.get("time")),
                        MessageHistory.marker(line.path("kind").asText()), line.path("text").asText());
            }
        }
    }
}
