package org.heraldmta.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.heraldmta.config.IpLiterals;

/**
 * A throw-away Postfix living entirely under one directory (its own {@code main.cf}/{@code master.cf}, queue, data
 * directory, log file and, when receiving, Maildir and TLS key), listening on one loopback address and port, never
 * asking DNS anything.
 *
 * <p>Two kinds: {@link #receiving} is a recipient's MX host (virtual mailbox domains delivered to one Maildir,
 * STARTTLS offered with a fresh self-signed certificate, relaying refused); {@link #relayingTo} hands everything it
 * accepts from 127.0.0.0/8 to one {@code [ip]:port} (a sink), with concurrency raised above Postfix's defaults.
 *
 * <p>Guarantees: {@link #stop()} (also {@link #close()}) stops the instance with {@code postfix -c DIR stop}, kills
 * what is left if that is not enough, and deletes the files it created; a JVM shutdown hook does the same if a test
 * forgets. Postfix must be started as root; outside CI a missing Postfix or a non-root JVM skips the test.
 *
 * <p>Why {@code inet_interfaces = 127.0.0.1} and not the given address: Postfix refuses an {@code inet_interfaces}
 * address that is not configured on an interface, and 127.0.0.x (x &gt; 1) answers on Linux without being
 * configured. The smtpd service line {@code 127.0.0.x:PORT inet n - n - - smtpd} binds the given address anyway.
 */
public final class PostfixInstance implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/postfix";
    private static final String SCRIPT = "/usr/bin/script";
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
    /** The files and directories this class creates under the caller's directory, and deletes on stop. */
    private static final List<String> OWN_ENTRIES = List.of("conf", "queue", "data", "mail", "tls", "maillog",
            "postfix-command.out");

    private final Path directory;
    private final String ip;
    private final int port;
    private final String hostname;
    private final Thread shutdownHook;
    private long masterPid;
    private boolean stopped;

    private PostfixInstance(Path directory, String ip, int port, String hostname) {
        this.directory = directory;
        this.ip = ip;
        this.port = port;
        this.hostname = hostname;
        this.shutdownHook = Thread.ofPlatform().unstarted(this::stopQuietly);
    }

    /**
     * A recipient's MX host: accepts mail for {@code domains} only (any local part), delivers it to one Maildir
     * under {@code directory}, offers STARTTLS ({@code smtpd_tls_security_level = may}).
     *
     * @param port the port to listen on, 0 for a free one
     */
    public static PostfixInstance receiving(Path directory, String ip, int port, String hostname, List<String> domains)
            throws IOException, InterruptedException {
        return receiving(directory, ip, port, hostname, domains, Map.of());
    }

    /** As {@link #receiving(Path, String, int, String, List)}, with extra {@code main.cf} settings that win. */
    public static PostfixInstance receiving(Path directory, String ip, int port, String hostname, List<String> domains,
            Map<String, String> extraMainCf) throws IOException, InterruptedException {
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("a receiving Postfix needs at least one domain");
        }
        return start(directory, ip, port, hostname, new Receiving(List.copyOf(domains)), extraMainCf);
    }

    /**
     * A relay: accepts anything from 127.0.0.0/8 and hands it to {@code [sinkIp]:sinkPort}, fsync on as always,
     * concurrency raised (destination concurrency 200, process limit 500) so that Postfix's defaults do not hold it back.
     */
    public static PostfixInstance relayingTo(Path directory, String ip, int port, String hostname, String sinkIp,
            int sinkPort) throws IOException, InterruptedException {
        return relayingTo(directory, ip, port, hostname, sinkIp, sinkPort, Map.of());
    }

    /** As {@link #relayingTo(Path, String, int, String, String, int)}, with extra {@code main.cf} settings that win. */
    public static PostfixInstance relayingTo(Path directory, String ip, int port, String hostname, String sinkIp,
            int sinkPort, Map<String, String> extraMainCf) throws IOException, InterruptedException {
        return start(directory, ip, port, hostname, new Relaying(sinkIp, sinkPort), extraMainCf);
    }

    private sealed interface Mode permits Receiving, Relaying {
    }

    private record Receiving(List<String> domains) implements Mode {
    }

    private record Relaying(String sinkIp, int sinkPort) implements Mode {
    }

    private static PostfixInstance start(Path directory, String ip, int port, String hostname, Mode mode,
            Map<String, String> extraMainCf) throws IOException, InterruptedException {
        RealPeers.requireTool(BINARY);
        requireRoot();
        if (!IpLiterals.isLiteral(ip) || !ip.startsWith("127.")) {
            throw new IllegalArgumentException("a test Postfix listens on a 127.0.0.0/8 address, not " + ip);
        }
        Path dir = directory.toAbsolutePath();
        Files.createDirectories(dir);
        makeReachableByPostfix(dir);
        int chosenPort = port == 0 ? freePort(ip) : port;
        PostfixInstance instance = new PostfixInstance(dir, ip, chosenPort, hostname);
        instance.writeConfiguration(mode, extraMainCf);
        Runtime.getRuntime().addShutdownHook(instance.shutdownHook);
        try {
            instance.startMaster();
        } catch (IOException | RuntimeException | InterruptedException e) {
            instance.stopQuietly();
            throw e;
        }
        return instance;
    }

    private void writeConfiguration(Mode mode, Map<String, String> extraMainCf) throws IOException {
        Path conf = Files.createDirectories(directory.resolve("conf"));
        Files.createDirectories(directory.resolve("queue"));
        Path data = Files.createDirectories(directory.resolve("data"));
        UserPrincipalLookupService users = data.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("postfix"));
        Map<String, String> main = new LinkedHashMap<>();
        main.put("compatibility_level", "3.6");
        main.put("config_directory", conf.toString());
        main.put("queue_directory", directory.resolve("queue").toString());
        main.put("data_directory", data.toString());
        main.put("maillog_file", directory.resolve("maillog").toString());
        main.put("maillog_file_prefixes", directory.toString());
        main.put("mail_owner", "postfix");
        main.put("setgid_group", "postdrop");
        main.put("inet_interfaces", "127.0.0.1");
        main.put("inet_protocols", "ipv4");
        main.put("myhostname", hostname);
        main.put("myorigin", "$myhostname");
        main.put("mydestination", "");
        main.put("alias_maps", "");
        main.put("alias_database", "");
        main.put("local_recipient_maps", "");
        main.put("mynetworks", "127.0.0.0/8");
        main.put("smtp_dns_support_level", "disabled");
        main.put("smtpd_peername_lookup", "no");
        main.put("smtpd_banner", "$myhostname ESMTP");
        main.put("smtp_tls_security_level", "none");
        switch (mode) {
            case Receiving receiving -> {
                Path mail = Files.createDirectories(directory.resolve("mail"));
                UserPrincipal nobody = users.lookupPrincipalByName("nobody");
                GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
                Files.setOwner(mail, nobody);
                Files.getFileAttributeView(mail, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(nogroup);
                Path tls = Files.createDirectories(directory.resolve("tls"));
                writeSelfSignedCertificate(tls);
                main.put("virtual_mailbox_domains", String.join(" ", receiving.domains()));
                main.put("virtual_mailbox_base", mail.toString());
                main.put("virtual_mailbox_maps", "static:inbox/");
                main.put("virtual_uid_maps", "static:" + Files.getAttribute(mail, "unix:uid"));
                main.put("virtual_gid_maps", "static:" + Files.getAttribute(mail, "unix:gid"));
                // An MX host, not an open relay: only its own domains, whoever connects.
                main.put("smtpd_relay_restrictions", "reject_unauth_destination");
                main.put("smtpd_tls_security_level", "may");
                main.put("smtpd_tls_cert_file", tls.resolve("cert.pem").toString());
                main.put("smtpd_tls_key_file", tls.resolve("key.pem").toString());
                main.put("smtpd_tls_received_header", "yes");
            }
            case Relaying relaying -> {
                main.put("relayhost", "[" + relaying.sinkIp() + "]:" + relaying.sinkPort());
                main.put("smtpd_tls_security_level", "none");
                main.put("default_destination_concurrency_limit", "200");
                main.put("smtp_destination_concurrency_limit", "200");
                main.put("initial_destination_concurrency", "20");
                main.put("default_process_limit", "500");
            }
        }
        main.putAll(extraMainCf);
        StringBuilder mainCf = new StringBuilder("# throw-away test instance written by org.heraldmta.testkit.PostfixInstance\n");
        main.forEach((name, value) -> mainCf.append(name).append(" = ").append(value).append('\n'));
        Files.writeString(conf.resolve("main.cf"), mainCf);
        Files.writeString(conf.resolve("master.cf"), masterCf(ip, port));
    }

    /** Every service with chroot off (the queue directory is not a chroot jail), smtpd only on {@code ip:port}. */
    private static String masterCf(String ip, int port) {
        return ip + ":" + port + " inet n - n - - smtpd\n" + """
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                proxywrite unix -       -       n       -       1       proxymap
                smtp      unix  -       -       n       -       -       smtp
                relay     unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                local     unix  -       n       n       -       -       local
                virtual   unix  -       n       n       -       -       virtual
                lmtp      unix  -       -       n       -       -       lmtp
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd
                """;
    }

    private void writeSelfSignedCertificate(Path tls) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            long now = System.currentTimeMillis();
            X500Name subject = new X500Name("CN=" + hostname);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now),
                    new Date(now - 3_600_000L), new Date(now + 7 * 86_400_000L), subject, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509CertificateHolder certificate = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            Files.writeString(tls.resolve("cert.pem"), pem(certificate));
            Path key = tls.resolve("key.pem");
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // PKCS#8 as the JDK encodes it: OpenSSL reads "PRIVATE KEY" for every key type.
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate for " + hostname, e);
        }
    }

    private static String pem(X509CertificateHolder object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private void startMaster() throws IOException, InterruptedException {
        CommandResult result = postfixCommand("start");
        if (result.exitCode() != 0) {
            throw new IOException("postfix -c " + conf() + " start failed with " + result.exitCode() + ":\n"
                    + result.output() + "\n--- maillog ---\n" + maillog());
        }
        masterPid = Long.parseLong(Files.readString(directory.resolve("queue/pid/master.pid")).trim());
        awaitListening();
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(IpLiterals.parse(ip), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("Postfix did not listen on " + server() + " within " + START_LIMIT + ":\n" + maillog());
    }

    private record CommandResult(int exitCode, String output) {
    }

    /** Runs {@code postfix -c CONF verb}; through script(1) when present, because Postfix prints errors only to a tty. */
    private CommandResult postfixCommand(String verb) throws IOException, InterruptedException {
        String postfix = BINARY + " -c " + shellQuote(conf().toString()) + " " + verb;
        List<String> command = Files.isExecutable(Path.of(SCRIPT))
                ? List.of(SCRIPT, "-qec", postfix, "/dev/null")
                : List.of("/bin/sh", "-c", postfix);
        Path output = directory.resolve("postfix-command.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("postfix " + verb + " did not finish within " + START_LIMIT);
        }
        return new CommandResult(process.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1).strip());
    }

    private static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    /** {@code ip:port}, as swaks's {@code --server} or smtp-source take it. */
    public String server() {
        return ip + ":" + port;
    }

    public String hostname() {
        return hostname;
    }

    public Path directory() {
        return directory;
    }

    /** The PEM certificate a receiving instance presents after STARTTLS (for tests that verify it). */
    public Path certificate() {
        Path certificate = directory.resolve("tls/cert.pem");
        if (!Files.exists(certificate)) {
            throw new IllegalStateException("only a receiving Postfix has a certificate");
        }
        return certificate;
    }

    /** The messages delivered to the Maildir so far (complete files of {@code new/}), oldest first, as received. */
    public List<String> deliveredMessages() throws IOException {
        Path newMail = directory.resolve("mail/inbox/new");
        if (!Files.isDirectory(newMail)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(newMail)) {
            List<String> messages = new ArrayList<>();
            for (Path file : files.sorted(Comparator.comparing(PostfixInstance::modified).thenComparing(Path::toString))
                    .toList()) {
                messages.add(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
            return messages;
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException gone) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Waits until at least {@code count} messages are in the Maildir and returns them all.
     *
     * @throws AssertionError with Postfix's log when they do not arrive in time
     */
    public List<String> awaitDelivered(int count, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> messages = deliveredMessages();
            if (messages.size() >= count) {
                return messages;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("expected " + count + " message(s) delivered by Postfix on " + server()
                        + " within " + limit + ", found " + messages.size() + "; its log:\n" + maillog());
            }
            Thread.sleep(25);
        }
    }

    /** Postfix's own log of this instance (empty before anything was logged). */
    public String maillog() throws IOException {
        Path log = directory.resolve("maillog");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** Whether the instance's master process is alive. */
    public boolean isRunning() {
        return masterPid != 0 && ProcessHandle.of(masterPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Stops the instance, kills whatever of it remains, and deletes its files. Idempotent. */
    public synchronized void stop() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            // Taken before stopping: once the master is gone, its children can no longer be found through it.
            List<ProcessHandle> processes = instanceProcesses();
            if (!processes.isEmpty() || Files.exists(directory.resolve("queue/pid/master.pid"))) {
                postfixCommand("stop");
            }
            killRemains(processes);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook itself is running us: nothing to remove.
            }
            deleteOwnFiles();
        }
    }

    /** The master and its children (every Postfix daemon is a child of the master). */
    private List<ProcessHandle> instanceProcesses() {
        List<ProcessHandle> processes = new ArrayList<>();
        if (masterPid != 0) {
            ProcessHandle.of(masterPid).filter(ProcessHandle::isAlive).ifPresent(master -> {
                processes.add(master);
                processes.addAll(master.descendants().toList());
            });
        }
        return processes;
    }

    /** {@code postfix stop} waits up to five seconds; whatever still lives after that is killed. */
    private static void killRemains(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + STOP_LIMIT.toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("PostfixInstance on " + server() + ": stop failed: " + e);
        }
    }

    private void deleteOwnFiles() throws IOException {
        for (String entry : OWN_ENTRIES) {
            Path path = directory.resolve(entry);
            if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(path)) {
                for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(each);
                }
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    private Path conf() {
        return directory.resolve("conf");
    }

    private static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            String reason = "a throw-away Postfix must be started as root";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(reason + " (CI=true: real peers are required)");
            }
            org.junit.jupiter.api.Assumptions.abort(reason);
        }
    }

    /**
     * Postfix's daemons run as the postfix user and must reach the queue directory: a JUnit temporary directory is
     * private to its owner, so the caller's directory and its private ancestors in the temporary area get o+x
     * (search only, no listing).
     */
    private static void makeReachableByPostfix(Path dir) throws IOException {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (Path each = dir; each != null; each = each.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(each);
            if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                if (!each.startsWith(temporary) && !each.equals(dir)) {
                    throw new IOException(each + " is not searchable by others: the postfix user cannot reach " + dir);
                }
                permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                permissions.add(PosixFilePermission.GROUP_EXECUTE);
                Files.setPosixFilePermissions(each, permissions);
            }
        }
    }

    private static int freePort(String ip) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(IpLiterals.parse(ip), 0));
            return socket.getLocalPort();
        }
    }
}
