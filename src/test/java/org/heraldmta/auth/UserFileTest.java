package org.heraldmta.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFileTest {

    private static final PasswordHasher HASHER = new PasswordHasher(PasswordHasher.Cost.FOR_TESTS);
    private static final String HASH = HASHER.hash("pw".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void usersSurviveAWriteAndAReadInOrder() throws IOException {
        Path file = dir.resolve("etc/users");
        User alice = new User("alice", HASH, List.of(SenderPattern.parse("alice@example.test"),
                SenderPattern.parse("@shop.example.test")));
        User bob = new User("bob", HASH, List.of());

        UserFile.write(file, List.of(alice, bob));

        Map<String, User> read = UserFile.read(file);
        assertThat(read.values()).containsExactly(alice, bob);
        assertThat(Files.readString(file)).contains("alice:" + HASH + ":alice@example.test,@shop.example.test\n")
                .contains("bob:" + HASH + "\n").startsWith("#");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(dir.resolve("etc")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void noFileMeansNoUsers() throws IOException {
        assertThat(UserFile.read(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void commentsAndBlankLinesAreSkipped() throws IOException {
        Path file = Files.writeString(dir.resolve("users"), "# comment\n\n  alice:" + HASH + ":\n");
        assertThat(UserFile.read(file)).containsOnlyKeys("alice");
        assertThat(UserFile.read(file).get("alice").allowedSenders()).isEmpty();
    }

    @Test
    void badLinesNameFileAndLineButNeverShowTheHash() throws IOException {
        Path file = dir.resolve("users");
        Files.writeString(file, "alice:" + HASH + "\nbroken\n");
        assertThatThrownBy(() -> UserFile.read(file)).hasMessageContaining("users:2: expected name:hash");

        Files.writeString(file, "alice:" + HASH + ":not an address\n");
        assertThatThrownBy(() -> UserFile.read(file)).hasMessageContaining("users:1: bad sender")
                .message().doesNotContain(HASH);

        Files.writeString(file, "alice:" + HASH + "\nalice:" + HASH + "\n");
        assertThatThrownBy(() -> UserFile.read(file)).hasMessageContaining("users:2: user alice appears twice");

        Files.writeString(file, "alice:plaintext-password\n");
        assertThatThrownBy(() -> UserFile.read(file)).hasMessageContaining("users:1: not an Argon2id password hash")
                .message().doesNotContain("plaintext-password");
    }
}
