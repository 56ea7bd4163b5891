package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald config explain DOMAIN}: the settings the running server applies to mail for DOMAIN and the rule
 * that set each one. Asked of the server rather than worked out from the file, so that it shows what is in force
 * (the file may have changed since the last reload).
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show the settings the running server uses for DOMAIN and which rule set each.")
final class ConfigExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions admin = new AdminOptions();

    @Parameters(paramLabel = "DOMAIN", description = "a recipient domain, such as example.com")
    String domain;

    @Override
    public Integer call() throws ConfigException, AdminApiException {
        PrintWriter out = spec.commandLine().getOut();
        AdminClient.AdminReply reply = admin.client().get("/api/v1/domains/" + QueryString.segment(domain.trim())
                + "/settings");
        if (admin.printedAsJson(out, reply)) {
            return 0;
        }
        out.println("Settings for mail to " + reply.json().path("domain").asText());
        TextTable table = new TextTable("SETTING", "VALUE", "SET BY");
        for (Map.Entry<String, JsonNode> setting : reply.json().path("settings").properties()) {
            JsonNode value = setting.getValue().path("value");
            table.row(setting.getKey(), value.isTextual() ? value.asText() : value.toString(),
                    setting.getValue().path("source").asText());
        }
        table.print(out, "  ");
        return 0;
    }
}
