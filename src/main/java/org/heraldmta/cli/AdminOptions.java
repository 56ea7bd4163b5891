package org.heraldmta.cli;

import java.io.PrintWriter;
import org.heraldmta.config.ConfigException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every client of the running server shares: the configuration that says where it listens, and --json. */
final class AdminOptions {

    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--json", description = "print the admin API's JSON answer instead of a table")
    boolean json;

    AdminClient client() throws ConfigException, AdminApiException {
        return new AdminClient(config.loadWithoutSecrets().admin());
    }

    /** With --json, prints the answer as the API gave it and returns true; without, returns false. */
    boolean printedAsJson(PrintWriter out, AdminClient.AdminReply reply) {
        if (json) {
            out.println(reply.body());
        }
        return json;
    }
}
