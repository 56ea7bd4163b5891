package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.HeraldConfig;
import org.heraldmta.dns.DnsJavaResolver;
import org.heraldmta.dns.MxAnswer;
import org.heraldmta.dns.MxHost;
import org.heraldmta.mail.Domain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald config explain DOMAIN}: the effective settings for a recipient domain and the rule each value came
 * from. It asks the running server first, so that it shows what is in force (the file may have changed since the
 * last reload). When no server answers where the configuration says it listens, or with {@code --mx}, it works the
 * settings out from the configuration file itself; without {@code --mx} it then asks Herald's own resolver
 * ({@code [dns] servers}) for the domain's MX hosts, so that MX rules are taken into account.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Print the effective delivery settings for DOMAIN and which rule set each: as the running "
                + "server applies them, or from the configuration file when the server is not running or --mx is "
                + "given.")
final class ConfigExplain implements Callable<Integer> {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions admin = new AdminOptions();

    @Parameters(paramLabel = "DOMAIN", description = "a recipient domain, such as example.com")
    String domainName;

    @Option(names = "--mx", paramLabel = "HOST", arity = "1..*",
            description = "the domain's MX host names: work the settings out from the file for these hosts")
    List<String> mxHosts;

    @Override
    public Integer call() throws AdminApiException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Domain domain;
        try {
            domain = Domain.of(domainName.trim());
        } catch (IllegalArgumentException e) {
            err.println("herald: " + domainName + ": not a domain name (" + e.getMessage() + ")");
            return 2;
        }
        HeraldConfig loaded;
        try {
            loaded = admin.config.loadWithoutSecrets();
        } catch (ConfigException e) {
            err.println("herald: " + e.getMessage());
            return 1;
        }
        if (mxHosts == null) {
            try {
                AdminClient.AdminReply reply = new AdminClient(loaded.admin())
                        .get("/api/v1/domains/" + QueryString.segment(domain.name()) + "/settings");
                if (!admin.printedAsJson(out, reply)) {
                    printServerAnswer(out, reply.json());
                }
                return 0;
            } catch (AdminApiException e) {
                if (!e.serverUnreachable()) {
                    throw e;
                }
                out.println("(" + e.getMessage() + ": worked out from " + loaded.file().map(Object::toString)
                        .orElse("the embedded defaults") + ")");
            }
        }
        return explainFromFile(out, err, loaded, domain);
    }

    private int explainFromFile(PrintWriter out, PrintWriter err, HeraldConfig loaded, Domain domain) {
        List<String> hosts = mxHosts;
        if (hosts == null) {
            MxAnswer answer = new DnsJavaResolver(loaded.dns(), InstantSource.system(), new SecureRandom())
                    .lookupMx(domain);
            switch (answer) {
                case MxAnswer.MxHosts found -> hosts = found.hosts().stream().map(MxHost::name).toList();
                case MxAnswer.ImplicitMx implicit -> hosts = List.of(implicit.host().name());
                case MxAnswer.NullMx n -> hosts = List.of();
                case MxAnswer.NoSuchDomain n -> hosts = List.of();
                case MxAnswer.TemporaryFailure failure -> {
                    err.println("herald: " + domain + ": MX look-up failed: " + failure.reason()
                            + " (give the MX hosts with --mx HOST to explain without DNS)");
                    return 1;
                }
            }
            out.println(answer.describe());
        }
        DomainRules.Explanation explanation = loaded.domains().explain(domain, hosts);
        List<Setting> settings = new ArrayList<>();
        for (DomainRules.Line line : explanation.lines()) {
            settings.add(new Setting(line.key().key(), line.value(), line.source()));
        }
        if (admin.json) {
            out.println(asJson(explanation, settings));
        } else {
            print(out, explanation.domain().name(), Optional.of(explanation.mxHosts()),
                    Optional.of(explanation.mxRule()), settings);
        }
        return 0;
    }

    /** The shape the server's settings endpoint answers, values as written in TOML. */
    private static String asJson(DomainRules.Explanation explanation, List<Setting> settings) {
        com.fasterxml.jackson.databind.node.ObjectNode json = JSON.createObjectNode();
        json.put("domain", explanation.domain().name());
        explanation.mxHosts().forEach(json.putArray("mx_hosts")::add);
        json.put("mx_rule", explanation.mxRule().orElse(null));
        com.fasterxml.jackson.databind.node.ObjectNode values = json.putObject("settings");
        for (Setting setting : settings) {
            values.putObject(setting.key()).put("value", setting.value()).put("source", setting.source());
        }
        return json.toString();
    }

    private static void printServerAnswer(PrintWriter out, JsonNode json) {
        Optional<List<String>> hosts = json.has("mx_hosts")
                ? Optional.of(json.path("mx_hosts").valueStream().map(JsonNode::asText).toList()) : Optional.empty();
        Optional<Optional<String>> rule = json.has("mx_rule")
                ? Optional.of(json.path("mx_rule").isNull() ? Optional.empty()
                        : Optional.of(json.path("mx_rule").asText()))
                : Optional.empty();
        List<Setting> settings = new ArrayList<>();
        for (Map.Entry<String, JsonNode> setting : json.path("settings").properties()) {
            JsonNode value = setting.getValue().path("value");
            settings.add(new Setting(setting.getKey(), value.isNull() ? "(not set)"
                    : value.isTextual() ? value.asText() : value.toString(), setting.getValue().path("source")
                    .asText()));
        }
        print(out, json.path("domain").asText(), hosts, rule, settings);
    }

    private record Setting(String key, String value, String source) {
    }

    private static void print(PrintWriter out, String domain, Optional<List<String>> mxHosts,
                              Optional<Optional<String>> mxRule, List<Setting> settings) {
        out.println("Settings for mail to " + domain);
        mxHosts.ifPresent(hosts -> out.println("MX hosts: " + (hosts.isEmpty() ? "(none)" : String.join(", ",
                hosts))));
        mxRule.ifPresent(rule -> out.println("Destination: " + rule.map(p -> "MX rule " + p
                + " (limits shared by all its domains)").orElse("the domain itself")));
        TextTable table = new TextTable("SETTING", "VALUE", "SET BY");
        for (Setting setting : settings) {
            table.row(setting.key(), setting.value(), setting.source());
        }
        table.print(out, "  ");
        out.flush();
    }
}
