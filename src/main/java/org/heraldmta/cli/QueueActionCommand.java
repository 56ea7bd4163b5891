package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald queue retry|hold|release|delete|bounce (ID... | --domain D | --all)}: one operator action on some
 * messages, a recipient domain or the whole queue. For several ids, each is asked for in turn; one unknown id does
 * not stop the others, but makes the exit code 1.
 */
abstract class QueueActionCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions admin = new AdminOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "queue ids")
        List<String> ids;

        @Option(names = "--domain", paramLabel = "D", description = "every message with recipients at D")
        String domain;

        @Option(names = "--all", description = "every message in the queue")
        boolean all;
    }

    /** The action's name in the API path: retry, hold, release, delete or bounce. */
    abstract String action();

    @Override
    public Integer call() throws ConfigException, AdminApiException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminClient client = admin.client();
        List<JsonNode> replies = new ArrayList<>();
        boolean failed = false;
        if (target.ids != null) {
            for (String id : target.ids) {
                try {
                    replies.add(client.post("/api/v1/queue/" + QueryString.segment(id.trim()) + "/" + action()).json());
                } catch (AdminApiException e) {
                    err.println("herald: " + id + ": " + e.getMessage());
                    failed = true;
                }
            }
        } else {
            String query = target.all ? "?all=true" : new QueryString().add("domain", target.domain).toString();
            replies.add(client.post("/api/v1/queue/" + action() + query).json());
        }
        ObjectNode summary = summary(replies);
        if (admin.json) {
            out.println(summary);
        } else {
            out.printf("%s: %d message(s)%s%n", action(), summary.path("affected").asInt(),
                    summary.path("ids").isEmpty() ? "" : ": " + join(summary.withArray("ids")));
        }
        return failed ? 1 : 0;
    }

    private ObjectNode summary(List<JsonNode> replies) {
        ObjectNode summary = JSON.createObjectNode().put("action", action());
        int affected = 0;
        ArrayNode ids = JSON.createArrayNode();
        for (JsonNode reply : replies) {
            affected += reply.path("affected").asInt();
            reply.path("ids").forEach(ids::add);
        }
        summary.put("affected", affected);
        summary.set("ids", ids);
        return summary;
    }

    private static String join(ArrayNode ids) {
        List<String> texts = new ArrayList<>();
        ids.forEach(id -> texts.add(id.asText()));
        return String.join(" ", texts);
    }

    @Command(name = "retry", description = "Try the messages again now, whatever their next attempt time.")
    static final class Retry extends QueueActionCommand {
        @Override
        String action() {
            return "retry";
        }
    }

    @Command(name = "hold", description = "Stop delivering the messages until they are released.")
    static final class Hold extends QueueActionCommand {
        @Override
        String action() {
            return "hold";
        }
    }

    @Command(name = "release", description = "Deliver held messages again.")
    static final class Release extends QueueActionCommand {
        @Override
        String action() {
            return "release";
        }
    }

    @Command(name = "delete", description = "Remove the messages from the queue without telling the sender.")
    static final class Delete extends QueueActionCommand {
        @Override
        String action() {
            return "delete";
        }
    }

    @Command(name = "bounce", description = "Give up on the messages and send the sender a bounce notification.")
    static final class Bounce extends QueueActionCommand {
        @Override
        String action() {
            return "bounce";
        }
    }
}
