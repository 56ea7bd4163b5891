package org.heraldmta.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.config.HeraldConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code herald config check FILE}: validates a configuration file exactly as {@code serve} would;
 * {@code herald config explain DOMAIN} ({@link ConfigExplain}) shows a domain's settings and where each comes from.
 */
@Command(name = "config", description = "Check configuration files and explain the settings of a domain.",
        subcommands = {ConfigCommand.Check.class, ConfigExplain.class})
final class ConfigCommand {

    @Command(name = "check", description = "Validate FILE as the server would at start; exit 1 with the reason if invalid.")
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            try {
                HeraldConfig config = new ConfigLoader(MachineName.read(), Path.of("")).load(file);
                spec.commandLine().getOut().printf("%s: OK (hostname %s, %d listener(s), %d relay(s), %d domain rule(s))%n",
                        file, config.hostname(), config.smtp().listen().size(), config.relays().size(),
                        config.domains().ruleCount());
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            }
        }
    }
}
