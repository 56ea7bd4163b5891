package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.heraldmta.auth.UserFile;
import org.heraldmta.auth.UserFileAuthenticator;
import org.heraldmta.config.AccessRule;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.Cidr;
import org.heraldmta.config.ClientLimits;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.config.SmtpSettings;
import org.heraldmta.smtpd.MessageAcceptedListener;
import org.heraldmta.smtpd.SessionLimits;
import org.heraldmta.smtpd.SmtpSecurity;
import org.heraldmta.smtpd.SmtpServer;
import org.heraldmta.testkit.InMemorySpool;
import org.heraldmta.testkit.SmtpDialogue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {

    @TempDir
    Path dir;

    private Path config;

    /** What one command printed and returned. */
    private record Run(int code, String out, String err) {
    }

    @BeforeEach
    void config() throws IOException {
        config = Files.writeString(dir.resolve("herald.toml"), "hostname = \"mx.herald.test\"\ndata_dir = \"data\"\n");
    }

    private Run herald(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        int code = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
                new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** A server that lets nobody relay without AUTH, with AUTH offered without TLS on loopback. */
    private static SmtpServer serverFor(Path usersFile) throws IOException {
        SmtpSettings settings = new SmtpSettings(List.of(new ListenAddress("127.0.0.1", 0)), 1_000_000, 100,
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30)).withAuthWithoutTlsOnLoopback(true);
        AccessSettings closed = new AccessSettings(List.of(AccessRule.deny(Cidr.parse("0.0.0.0/0"))),
                ClientLimits.DEFAULTS);
        SmtpServer server = new SmtpServer(settings, SessionLimits.DEFAULTS, "mx.herald.test", closed,
                new SmtpSecurity(java.util.Optional.empty(), java.util.Optional.of(new UserFileAuthenticator(usersFile))),
                new InMemorySpool(), InstantSource.system(), MessageAcceptedListener.NONE);
        server.start();
        return server;
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void userAddReadsThePasswordFromStdinAndTheServerAcceptsIt() throws IOException {
        Run added = herald("s3cret pässword\n", "user", "add", "alice", "--allow-sender", "alice@example.test",
                "--allow-sender", "@shop.example.test");
        assertThat(added.code()).as(added.err()).isZero();
        Path users = dir.resolve("data/users");
        assertThat(added.out()).contains("added alice in " + users);
        assertThat(Files.readString(users)).contains("alice:$argon2id$v=19$m=19456,t=2,p=1$")
                .contains(":alice@example.test,@shop.example.test").doesNotContain("s3cret");

        try (SmtpServer server = serverFor(users);
             SmtpDialogue smtp = SmtpDialogue.connect("127.0.0.1", server.port())) {
            smtp.expect("220");
            smtp.send("EHLO client.test").expect("250");
            smtp.send("AUTH PLAIN " + plain("alice", "s3cret pässword ")).expect("535");
            smtp.send("AUTH PLAIN " + plain("alice", "s3cret pässword")).expect("235");
            smtp.send("MAIL FROM:<bob@example.test>").expect("553 5.7.1");
            smtp.send("MAIL FROM:<alice@example.test>").expect("250");
            smtp.send("RCPT TO:<someone@elsewhere.test>").expect("250");
        }
    }

    @Test
    void listShowsNamesAndSendersButNoHashesAndRemoveTakesAUserOut() throws IOException {
        assertThat(herald("pw1\r\n", "user", "add", "alice").code()).isZero();
        assertThat(herald("pw2\n", "user", "add", "bob", "--allow-sender", "@example.test").code()).isZero();
        Run replaced = herald("pw3\n", "user", "add", "alice");
        assertThat(replaced.out()).contains("updated alice");

        Run list = herald("", "user", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).isEqualTo("alice  (any sender)\nbob  @example.test\n".replace("\n", System.lineSeparator()));

        Run removed = herald("", "user", "remove", "alice");
        assertThat(removed.code()).isZero();
        assertThat(UserFile.read(dir.resolve("data/users"))).containsOnlyKeys("bob");
        assertThat(herald("", "user", "remove", "alice").code()).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedWithoutTouchingTheFile() {
        assertThat(herald("\n", "user", "add", "alice").err()).contains("empty password");
        assertThat(herald("pw\n", "user", "add", "al ice").err()).contains("user name");
        assertThat(herald("pw\n", "user", "add", "alice", "--allow-sender", "not-an-address").err())
                .contains("--allow-sender not-an-address");
        assertThat(dir.resolve("data/users")).doesNotExist();
    }

    @Test
    void theRealCommandReadsThePasswordFromItsStandardInput() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.heraldmta.cli.Main",
                "user", "add", "carol", "--config", config.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write("from a pipe\n".getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        UserFileAuthenticator users = new UserFileAuthenticator(dir.resolve("data/users"));
        assertThat(users.authenticate("carol", "from a pipe".getBytes(StandardCharsets.UTF_8))).isPresent();
    }
}
