package org.heraldmta.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
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
 * from. Reads the configuration file only (no server needed); without {@code --mx} it asks Herald's own resolver
 * ({@code [dns] servers}) for the domain's MX hosts, so that MX rules are taken into account.
 */
@Command(name = "explain", description = "Print the effective delivery settings for DOMAIN and where each value "
        + "comes from.")
final class ConfigExplain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config = new ConfigOption();

    @Parameters(paramLabel = "DOMAIN")
    String domainName;

    @Option(names = "--mx", paramLabel = "HOST", arity = "1..*",
            description = "the domain's MX host names (default: looked up through [dns] servers)")
    List<String> mxHosts;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Domain domain;
        try {
            domain = Domain.of(domainName);
        } catch (IllegalArgumentException e) {
            err.println(domainName + ": not a domain name (" + e.getMessage() + ")");
            return 2;
        }
        HeraldConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
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
                    err.println(domain + ": MX look-up failed: " + failure.reason()
                            + " (give the MX hosts with --mx HOST to explain without DNS)");
                    return 1;
                }
            }
            out.println(answer.describe());
        }
        print(out, loaded.domains().explain(domain, hosts));
        return 0;
    }

    static void print(PrintWriter out, DomainRules.Explanation explanation) {
        out.println("Domain " + explanation.domain() + ", MX hosts: " + (explanation.mxHosts().isEmpty() ? "(none)"
                : String.join(", ", explanation.mxHosts())));
        out.println("Destination: " + explanation.mxRule().map(p -> "MX rule " + p + " (limits shared by all its "
                + "domains)").orElse("the domain itself"));
        int keyWidth = "key".length();
        int valueWidth = "value".length();
        for (DomainRules.Line line : explanation.lines()) {
            keyWidth = Math.max(keyWidth, line.key().key().length());
            valueWidth = Math.max(valueWidth, line.value().length());
        }
        String format = "%-" + keyWidth + "s  %-" + valueWidth + "s  %s%n";
        out.printf(format, "key", "value", "source");
        for (DomainRules.Line line : explanation.lines()) {
            out.printf(format, line.key().key(), line.value(), line.source());
        }
        out.flush();
    }
}
