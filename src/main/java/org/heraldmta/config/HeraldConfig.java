package org.heraldmta.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration, immutable. {@link ConfigLoader} makes it from a TOML file or from the embedded defaults.
 *
 * @param file     the file it came from, if any
 * @param hostname banner, EHLO and Received name
 * @param dataDir  spool and logs (absolute)
 */
public record HeraldConfig(Optional<Path> file, String hostname, Path dataDir, SmtpSettings smtp,
                           AccessSettings access, AdminSettings admin, DnsSettings dns, List<RelayServer> relays,
                           DomainRules domains) {

    public HeraldConfig {
        relays = List.copyOf(relays);
    }

    public Path spoolDir() {
        return dataDir.resolve("spool");
    }

    public Path logDir() {
        return dataDir.resolve("log");
    }
}
