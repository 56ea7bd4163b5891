package org.heraldmta.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayPasswordTest {

    private static final String SECRET = "s3cr3t-\u00e9-value";

    @TempDir
    Path dir;

    private final Map<String, String> environment = Map.of("RELAY_PASSWORD", SECRET, "EMPTY", "");

    private HeraldConfig parse(String relayKeys) throws ConfigException {
        return new ConfigLoader("host.example.test", dir, environment::get).parse(dir.resolve("herald.toml"),
                "herald.toml", """
                        [[relay]]
                        host = "127.0.0.1"
                        username = "user"
                        """ + relayKeys + "\n");
    }

    @Test
    void thePasswordMayComeFromAnEnvironmentVariable() throws ConfigException {
        assertThat(parse("password_env = \"RELAY_PASSWORD\"").relays().getFirst().password()).contains(SECRET);
    }

    @Test
    void thePasswordMayComeFromAFileNextToTheConfigWithoutItsLineEnd() throws Exception {
        Files.writeString(dir.resolve("relay.secret"), SECRET + "\n");
        assertThat(parse("password_file = \"relay.secret\"").relays().getFirst().password()).contains(SECRET);
        Files.writeString(dir.resolve("crlf.secret"), SECRET + "\r\n");
        assertThat(parse("password_file = \"crlf.secret\"").relays().getFirst().password()).contains(SECRET);
    }

    @Test
    void theInlinePasswordStillWorks() throws ConfigException {
        assertThat(parse("password = \"inline\"").relays().getFirst().password()).contains("inline");
    }

    @Test
    void anUnsetOrEmptyVariableIsAnErrorNamingTheKeyAndTheVariable() {
        assertThatThrownBy(() -> parse("password_env = \"NOT_THERE\""))
                .isInstanceOf(ConfigException.class)
                .hasMessage("herald.toml: relay[0].password_env: the environment variable NOT_THERE is not set");
        assertThatThrownBy(() -> parse("password_env = \"EMPTY\""))
                .hasMessageContaining("relay[0].password_env").hasMessageContaining("EMPTY is empty");
        assertThatThrownBy(() -> parse("password_env = \"$RELAY_PASSWORD\""))
                .hasMessageContaining("relay[0].password_env: must be the name of an environment variable");
    }

    @Test
    void aMissingUnreadableOrEmptyFileIsAnErrorNamingTheKeyAndThePath() throws Exception {
        assertThatThrownBy(() -> parse("password_file = \"nowhere.secret\""))
                .hasMessage("herald.toml: relay[0].password_file: no such file: " + dir.resolve("nowhere.secret"));
        Files.createDirectory(dir.resolve("a-directory"));
        assertThatThrownBy(() -> parse("password_file = \"a-directory\""))
                .hasMessageContaining("relay[0].password_file: cannot read " + dir.resolve("a-directory"));
        Files.writeString(dir.resolve("empty.secret"), "\n");
        assertThatThrownBy(() -> parse("password_file = \"empty.secret\""))
                .hasMessageContaining("relay[0].password_file").hasMessageContaining("is empty");
    }

    @Test
    void aFileWithMoreThanOneLineIsRefusedWithoutShowingItsContent() throws Exception {
        Files.writeString(dir.resolve("two.secret"), SECRET + "\nsecond line\n");
        assertThatThrownBy(() -> parse("password_file = \"two.secret\""))
                .hasMessageContaining("must hold only the password, on one line")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void exactlyOneWayOfGivingThePasswordIsAllowed() throws Exception {
        Files.writeString(dir.resolve("relay.secret"), SECRET);
        assertThatThrownBy(() -> parse("password = \"x\"\npassword_env = \"RELAY_PASSWORD\""))
                .hasMessageContaining("relay[0].password: give the password only one way");
        assertThatThrownBy(() -> parse("password_env = \"RELAY_PASSWORD\"\npassword_file = \"relay.secret\""))
                .hasMessageContaining("relay[0].password_env: give the password only one way");
    }

    @Test
    void aUsernameNeedsAPasswordInSomeForm() {
        assertThatThrownBy(() -> parse(""))
                .hasMessageContaining("relay[0].password: username and password go together");
    }

    @Test
    void neitherTheRelayPasswordNorTheAdminTokenAppearsWhenTheConfigurationIsPrinted() throws ConfigException {
        HeraldConfig config = new ConfigLoader("host.example.test", dir, environment::get).parse(
                dir.resolve("herald.toml"), "herald.toml", """
                        [admin]
                        token = "admin-token-value"
                        [[relay]]
                        host = "127.0.0.1"
                        username = "user"
                        password_env = "RELAY_PASSWORD"
                        """);
        assertThat(config.toString()).doesNotContain(SECRET, "admin-token-value").contains("token=(set)");
    }

    @Test
    void commandsThatNeedNoSecretsLoadTheFileWithoutTheVariableOrTheFile() throws ConfigException {
        HeraldConfig config = new ConfigLoader("host.example.test", dir, name -> null).withoutSecrets().parse(
                dir.resolve("herald.toml"), "herald.toml", """
                        [[relay]]
                        host = "127.0.0.1"
                        username = "user"
                        password_env = "NOT_THERE"
                        [[relay]]
                        host = "127.0.0.2"
                        username = "user"
                        password_file = "unreadable.secret"
                        """);
        assertThat(config.relays()).allSatisfy(relay -> assertThat(relay.password()).isEmpty());
        assertThatThrownBy(() -> new ConfigLoader("h.test", dir, name -> null).withoutSecrets().parse(
                dir.resolve("herald.toml"), "herald.toml", """
                        [[relay]]
                        host = "127.0.0.1"
                        password = "a"
                        password_env = "B"
                        """)).hasMessageContaining("give the password only one way");
    }
}
