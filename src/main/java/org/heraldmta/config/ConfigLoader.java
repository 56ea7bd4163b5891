package org.heraldmta.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.heraldmta.mail.Domain;

/**
 * Turns a TOML file (or nothing: the embedded defaults) into a validated {@link HeraldConfig}.
 * Stateless; the machine's host name is passed in so that tests do not depend on it.
 */
public final class ConfigLoader {

    private static final String TOP_KEYS = "hostname, data_dir, smtp, access, admin, dns, relay, domains, mx, tls, auth, "
            + "log";

    private final String machineHostname;
    private final Path workingDirectory;
    private final Function<String, String> environment;
    private final boolean readSecrets;

    public ConfigLoader(String machineHostname, Path workingDirectory) {
        this(machineHostname, workingDirectory, System::getenv);
    }

    /** @param environment where {@code password_env} variables are looked up (null when unset) */
    public ConfigLoader(String machineHostname, Path workingDirectory, Function<String, String> environment) {
        this(machineHostname, workingDirectory, environment, true);
    }

    private ConfigLoader(String machineHostname, Path workingDirectory, Function<String, String> environment,
            boolean readSecrets) {
        this.machineHostname = machineHostname;
        this.workingDirectory = workingDirectory.toAbsolutePath();
        this.environment = environment;
        this.readSecrets = readSecrets;
    }

    /**
     * A loader for commands that never talk to a relay ({@code herald log}, {@code sendmail}, {@code user}): relay
     * passwords are not looked up, so these work for an operator without the server's environment or secret files,
     * and the loaded relays carry no password. Never start a server on such a configuration.
     */
    public ConfigLoader withoutSecrets() {
        return new ConfigLoader(machineHostname, workingDirectory, environment, false);
    }

    /** The configuration for {@code ./herald serve} without {@code --config}: defaults, data under ./var. */
    public HeraldConfig defaults() {
        try {
            return build(Optional.empty(), "(defaults)", new TomlTable("(defaults)", "",
                    new TomlMapper().createObjectNode()), workingDirectory);
        } catch (ConfigException e) {
            throw new IllegalStateException("the embedded defaults are invalid", e);
        }
    }

    public HeraldConfig load(Path file) throws ConfigException {
        Path absolute = file.toAbsolutePath();
        String name = file.toString();
        String text;
        try {
            text = Files.readString(absolute);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage(), e);
        }
        return parse(absolute, name, text);
    }

    /** Parses configuration text as if it came from {@code file} (relative paths resolve next to it). */
    public HeraldConfig parse(Path file, String displayName, String text) throws ConfigException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(displayName + where + ": not valid TOML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            root = new TomlMapper().createObjectNode();
        }
        Path base = file.toAbsolutePath().getParent();
        return build(Optional.of(file.toAbsolutePath()), displayName, new TomlTable(displayName, "", (ObjectNode) root),
                base == null ? workingDirectory : base);
    }

    private HeraldConfig build(Optional<Path> file, String name, TomlTable root, Path base) throws ConfigException {
        String hostname = root.parsed("hostname", machineHostname, ConfigLoader::checkHostname,
                "a fully qualified host name such as \"mail.example.org\"");
        Path dataDir = base.resolve(root.string("data_dir", "var")).normalize();

        SmtpSettings smtp = SmtpSettings.DEFAULTS;
        Optional<TomlTable> smtpTable = root.table("smtp");
        if (smtpTable.isPresent()) {
            TomlTable t = smtpTable.get();
            smtp = new SmtpSettings(
                    t.list("listen", smtp.listen(), s -> ListenAddress.parse(s, -1), "\"127.0.0.1:2525\", \"[::1]:2525\""),
                    t.size("max_message_size", smtp.maxMessageSize()),
                    t.integer("max_recipients", smtp.maxRecipients(), 1, 1_000_000),
                    t.duration("command_timeout", smtp.commandTimeout()),
                    t.duration("data_timeout", smtp.dataTimeout()),
                    t.list("listen_tls", smtp.listenTls(), s -> ListenAddress.parse(s, -1), "\"0.0.0.0:465\""),
                    t.bool("auth_without_tls_on_loopback", smtp.authWithoutTlsOnLoopback()));
            t.rejectUnknownKeys("listen, max_message_size, max_recipients, command_timeout, data_timeout, "
                    + "listen_tls, auth_without_tls_on_loopback");
        }

        AccessSettings access = AccessSettings.DEFAULTS;
        Optional<TomlTable> accessTable = root.table("access");
        if (accessTable.isPresent()) {
            access = readAccess(accessTable.get());
        }

        AdminSettings admin = AdminSettings.DEFAULTS;
        Optional<TomlTable> adminTable = root.table("admin");
        if (adminTable.isPresent()) {
            TomlTable t = adminTable.get();
            admin = new AdminSettings(
                    t.parsed("listen", admin.listen(), s -> ListenAddress.parse(s, -1), "an address such as \"127.0.0.1:8025\""),
                    t.optionalString("token"));
            t.rejectUnknownKeys("listen, token");
        }

        DnsSettings dns = DnsSettings.DEFAULTS;
        Optional<TomlTable> dnsTable = root.table("dns");
        if (dnsTable.isPresent()) {
            TomlTable t = dnsTable.get();
            dns = new DnsSettings(
                    t.list("servers", dns.servers(), s -> ListenAddress.parse(s, 53), "\"127.0.0.53:5353\""),
                    t.duration("timeout", dns.timeout()));
            if (dns.timeout().isZero()) {
                throw t.error("timeout", "must be longer than 0s");
            }
            t.rejectUnknownKeys("servers, timeout");
        }

        List<RelayServer> relays = new ArrayList<>();
        RelayReader relayReader = new RelayReader(environment, base, readSecrets);
        for (TomlTable t : root.tableArray("relay")) {
            relays.add(relayReader.read(t));
        }

        DomainRules domains = readDomains(root.table("domains"), root.table("mx"), !relays.isEmpty());

        TlsSettings tls = TlsSettings.SELF_SIGNED;
        Optional<TomlTable> tlsTable = root.table("tls");
        if (tlsTable.isPresent()) {
            tls = readTls(tlsTable.get(), base);
        }

        AuthSettings auth = new AuthSettings(dataDir.resolve("users"));
        Optional<TomlTable> authTable = root.table("auth");
        if (authTable.isPresent()) {
            TomlTable t = authTable.get();
            auth = new AuthSettings(t.optionalString("users_file").map(s -> base.resolve(s).normalize())
                    .orElse(auth.usersFile()));
            t.rejectUnknownKeys("users_file");
        }
        LogSettings log = LogSettings.DEFAULTS;
        Optional<TomlTable> logTable = root.table("log");
        if (logTable.isPresent()) {
            log = LogSettings.read(logTable.get());
        }
        root.rejectUnknownKeys(TOP_KEYS);
        return new HeraldConfig(file, hostname, dataDir, smtp, access, admin, dns, relays, domains, tls, auth, log);
    }

    /**
     * {@code [access]}: either {@code rules = [{allow = "..."}, {deny = "..."}]} (first match wins) or the older
     * {@code allow = [...]} (those blocks, then deny), and the client limits.
     */
    private static AccessSettings readAccess(TomlTable t) throws ConfigException {
        AccessSettings defaults = AccessSettings.DEFAULTS;
        if (t.has("allow") && t.has("rules")) {
            throw t.error("rules", "cannot be used together with allow; write each allowed block as a rule "
                    + "{allow = \"127.0.0.0/8\"}");
        }
        List<AccessRule> rules = defaults.rules();
        if (t.has("allow")) {
            rules = t.list("allow", List.<Cidr>of(), Cidr::parse, "\"127.0.0.0/8\", \"::1/128\"").stream()
                    .map(AccessRule::allow).toList();
        } else if (t.has("rules")) {
            rules = new ArrayList<>();
            for (TomlTable rule : t.tableArray("rules",
                    "a list of rules such as [{allow = \"127.0.0.0/8\"}, {deny = \"0.0.0.0/0\"}]")) {
                rules.add(readRule(rule));
            }
        }
        ClientLimits d = defaults.limits();
        int maxConnections = t.integer("max_connections", d.maxConnections(), 1, 1_000_000);
        int maxConnectionsPerIp = t.integer("max_connections_per_ip", d.maxConnectionsPerIp(), 1, 1_000_000);
        int maxCommands = t.integer("max_commands_per_session", d.maxCommandsPerSession(), 1, Integer.MAX_VALUE);
        int maxAuthFailures = t.integer("max_auth_failures", d.maxAuthFailures(), 1, 1_000_000);
        Duration window = t.duration("auth_failure_window", d.authFailureWindow());
        Duration delay = t.duration("auth_failure_delay", d.authFailureDelay());
        if (window.isZero()) {
            throw t.error("auth_failure_window", "must be longer than 0s");
        }
        if (delay.compareTo(Duration.ofMinutes(5)) > 0) {
            throw t.error("auth_failure_delay", "must be at most 5m (a longer wait only holds connections open)");
        }
        ClientLimits limits = new ClientLimits(maxConnections, maxConnectionsPerIp, maxCommands, maxAuthFailures,
                window, delay);
        t.rejectUnknownKeys("rules, allow, max_connections, max_connections_per_ip, max_commands_per_session, "
                + "max_auth_failures, auth_failure_window, auth_failure_delay");
        return new AccessSettings(rules, limits);
    }

    private static AccessRule readRule(TomlTable rule) throws ConfigException {
        Optional<String> allow = rule.optionalString("allow");
        Optional<String> deny = rule.optionalString("deny");
        rule.rejectUnknownKeys("allow, deny");
        if (allow.isPresent() == deny.isPresent()) {
            throw rule.error("each rule has exactly one key, allow or deny, such as {allow = \"10.0.0.0/8\"}");
        }
        String key = allow.isPresent() ? "allow" : "deny";
        String text = allow.orElseGet(deny::get);
        Cidr block;
        try {
            block = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw rule.error(key, "must be an address block such as \"10.0.0.0/8\" or \"::1/128\", got \""
                    + text + "\" (" + e.getMessage() + ")");
        }
        return allow.isPresent() ? AccessRule.allow(block) : AccessRule.deny(block);
    }

    private static TlsSettings readTls(TomlTable t, Path base) throws ConfigException {
        Optional<Path> certificate = t.optionalString("certificate").map(s -> base.resolve(s).normalize());
        Optional<Path> key = t.optionalString("key").map(s -> base.resolve(s).normalize());
        t.rejectUnknownKeys("certificate, key");
        if (certificate.isPresent() != key.isPresent()) {
            throw t.error(certificate.isPresent() ? "key" : "certificate",
                    "is required when " + (certificate.isPresent() ? "certificate" : "key")
                            + " is given (both PEM files, or neither for a self-signed certificate)");
        }
        if (certificate.isPresent() && !Files.isRegularFile(certificate.get())) {
            throw t.error("certificate", "no such file: " + certificate.get());
        }
        if (key.isPresent() && !Files.isRegularFile(key.get())) {
            throw t.error("key", "no such file: " + key.get());
        }
        return new TlsSettings(certificate, key);
    }

    private static DomainRules readDomains(Optional<TomlTable> table, Optional<TomlTable> mxTable,
                                           boolean haveRelays) throws ConfigException {
        DomainOverrides defaults = DomainOverrides.NONE;
        Map<String, DomainOverrides> exact = new LinkedHashMap<>();
        Map<String, DomainOverrides> wildcards = new LinkedHashMap<>();
        Map<String, DomainOverrides> mx = new LinkedHashMap<>();
        if (table.isPresent()) {
            TomlTable domains = table.get();
            Optional<TomlTable> defaultTable = domains.table("default");
            if (defaultTable.isPresent()) {
                defaults = DomainOverrides.read(defaultTable.get());
                checked(defaultTable.get(), defaults.applyTo(DomainSettings.DEFAULTS), haveRelays);
            }
            DomainSettings base = defaults.applyTo(DomainSettings.DEFAULTS);
            for (String key : keysOf(domains)) {
                if (key.equals("default")) {
                    continue;
                }
                String name = domainPattern(domains, key, "a domain name such as \"example.com\" or a wildcard "
                        + "such as \"*.example.com\"");
                TomlTable t = domains.table(key).orElseThrow();
                DomainOverrides rule = DomainOverrides.read(t);
                checked(t, rule.applyTo(base), haveRelays);
                (name.startsWith("*.") ? wildcards : exact).put(name, rule);
            }
        }
        if (mxTable.isPresent()) {
            TomlTable rules = mxTable.get();
            DomainSettings base = defaults.applyTo(DomainSettings.DEFAULTS);
            for (String key : keysOf(rules)) {
                String pattern = domainPattern(rules, key, "an MX host name such as \"mx1.example.com\" or a "
                        + "wildcard such as \"*.outlook.com\"");
                TomlTable t = rules.table(key).orElseThrow();
                DomainOverrides rule = DomainOverrides.read(t);
                checked(t, rule.applyTo(base), haveRelays);
                mx.put(pattern, rule);
            }
        }
        return new DomainRules(defaults, exact, wildcards, mx);
    }

    private static List<String> keysOf(TomlTable table) {
        List<String> keys = new ArrayList<>();
        table.keys().forEachRemaining(keys::add);
        return keys;
    }

    /** A domain name or {@code *.} and a domain name, lower-cased; the error says what is allowed. */
    private static String domainPattern(TomlTable table, String key, String allowed) throws ConfigException {
        String name = key.startsWith("*.") ? key.substring(2) : key;
        try {
            Domain domain = Domain.of(name);
            if (domain.isAddressLiteral() || name.contains("*")) {
                throw new IllegalArgumentException("only a leading \"*.\" may be a wildcard");
            }
            return (key.startsWith("*.") ? "*." : "") + domain.name();
        } catch (IllegalArgumentException e) {
            throw table.error(key, "is not " + allowed + " (" + e.getMessage() + ")");
        }
    }

    private static DomainSettings checked(TomlTable t, DomainSettings settings, boolean haveRelays)
            throws ConfigException {
        if (settings.directAttempts() == 0 && settings.relayAttempts() == 0) {
            throw t.error("direct_attempts", "direct_attempts and relay_attempts cannot both be 0 (no way to deliver)");
        }
        if (settings.directAttempts() == 0 && !haveRelays) {
            throw t.error("direct_attempts", "is 0 (relay only) but no [[relay]] server is configured");
        }
        return settings;
    }

    private static String checkHostname(String name) {
        Domain.of(name);
        return name;
    }
}
