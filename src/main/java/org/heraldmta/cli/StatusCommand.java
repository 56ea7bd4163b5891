package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code herald status}: is the server running, what is in its queue, what has it done since it started. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running server's state: listeners, queue, connections, counters.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions admin = new AdminOptions();

    @Override
    public Integer call() throws ConfigException, AdminApiException {
        PrintWriter out = spec.commandLine().getOut();
        AdminClient client = admin.client();
        AdminClient.AdminReply reply = client.get("/api/v1/status");
        if (admin.printedAsJson(out, reply)) {
            return 0;
        }
        JsonNode status = reply.json();
        HumanFormat format = new HumanFormat(ZoneId.systemDefault());
        JsonNode queue = status.path("queue");
        JsonNode counters = status.path("counters");
        out.printf("Herald %s on %s, up %s (since %s)%n", status.path("version").asText(),
                status.path("hostname").asText(), HumanFormat.duration(status.path("uptime_seconds").asLong()),
                format.time(status.get("started")));
        out.printf("  SMTP        %s%n", texts(status.path("smtp_listeners")));
        out.printf("  admin API   %s%n", client.server());
        out.printf("  queue       %d message(s): %d queued, %d active, %d deferred, %d held%n",
                queue.path("messages").asLong(), queue.path("queued").asLong(), queue.path("active").asLong(),
                queue.path("deferred").asLong(), queue.path("held").asLong());
        out.printf("  connections %d in use%n", status.path("connections_in_use").asLong());
        out.printf("  since start %d received, %d delivered, %d deferred, %d bounced, %d expired%n",
                counters.path("received").asLong(), counters.path("delivered").asLong(),
                counters.path("deferred").asLong(), counters.path("bounced").asLong(),
                counters.path("expired").asLong());
        return 0;
    }

    private static String texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts.isEmpty() ? "-" : String.join(", ", texts);
    }
}
