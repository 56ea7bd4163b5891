package org.heraldmta.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration, immutable. {@link ConfigLoader} makes it from a TOML file or from the embedded defaults.
 *
 * @param file     the file it came from, if any
 * @param hostname banner, EHLO and Received name
 * @param dataDir  spool and logs (absolute)
 * @param tls      the inbound server's certificate
 * @param auth     SMTP AUTH users
 * @param log      the server's log format and the rotation of events.jsonl
 */
public record HeraldConfig(Optional<Path> file, String hostname, Path dataDir, SmtpSettings smtp,
                           AccessSettings access, AdminSettings admin, DnsSettings dns, List<RelayServer> relays,
                           DomainRules domains, TlsSettings tls, AuthSettings auth, LogSettings log) {

    public HeraldConfig {
        relays = List.copyOf(relays);
        Objects.requireNonNull(tls);
        Objects.requireNonNull(auth);
        Objects.requireNonNull(log);
    }

    /** The default {@code [log]} settings. */
    public HeraldConfig(Optional<Path> file, String hostname, Path dataDir, SmtpSettings smtp, AccessSettings access,
                        AdminSettings admin, DnsSettings dns, List<RelayServer> relays, DomainRules domains,
                        TlsSettings tls, AuthSettings auth) {
        this(file, hostname, dataDir, smtp, access, admin, dns, relays, domains, tls, auth, LogSettings.DEFAULTS);
    }

    /** A self-signed certificate and the users in {@code <data_dir>/users}. */
    public HeraldConfig(Optional<Path> file, String hostname, Path dataDir, SmtpSettings smtp, AccessSettings access,
                        AdminSettings admin, DnsSettings dns, List<RelayServer> relays, DomainRules domains) {
        this(file, hostname, dataDir, smtp, access, admin, dns, relays, domains, TlsSettings.SELF_SIGNED,
                new AuthSettings(dataDir.resolve("users")));
    }

    public Path spoolDir() {
        return dataDir.resolve("spool");
    }

    public Path logDir() {
        return dataDir.resolve("log");
    }

    /** Where the self-signed certificate is kept when {@code [tls]} names none. */
    public Path tlsDir() {
        return dataDir.resolve("tls");
    }
}
