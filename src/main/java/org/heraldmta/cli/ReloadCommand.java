package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code herald reload}: the running server re-reads its configuration file; a file it rejects leaves the running
 * settings as they were, and the loader's reason is printed. Changed keys that only a restart applies are named.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Make the running server re-read its configuration file.")
final class ReloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions admin = new AdminOptions();

    @Override
    public Integer call() throws ConfigException, AdminApiException {
        PrintWriter out = spec.commandLine().getOut();
        AdminClient.AdminReply reply = admin.client().post("/api/v1/reload");
        if (admin.printedAsJson(out, reply)) {
            return 0;
        }
        List<String> changed = texts(reply.json().path("changed"));
        List<String> waiting = texts(reply.json().path("restart_needed"));
        out.println(changed.isEmpty() ? "Reloaded: nothing changed." : "Reloaded: " + String.join(", ", changed)
                + " changed.");
        if (!waiting.isEmpty()) {
            out.println("Takes effect at the next start: " + String.join(", ", waiting) + ".");
        }
        return 0;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
