package org.heraldmta.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFileAuthenticatorTest {

    private static final PasswordHasher HASHER = new PasswordHasher(PasswordHasher.Cost.FOR_TESTS);

    @TempDir
    Path dir;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theRightPasswordGivesTheUserAndAnythingElseNothing() throws IOException {
        Path file = dir.resolve("users");
        UserFile.write(file, List.of(new User("alice", HASHER.hash(utf8("s3cret")), List.of())));
        UserFileAuthenticator authenticator = new UserFileAuthenticator(file, HASHER, 2);

        assertThat(authenticator.authenticate("alice", utf8("s3cret"))).map(User::name).contains("alice");
        assertThat(authenticator.authenticate("alice", utf8("S3cret"))).isEmpty();
        assertThat(authenticator.authenticate("mallory", utf8("s3cret"))).isEmpty();
        assertThat(authenticator.authenticate("ALICE", utf8("s3cret"))).as("names are exact").isEmpty();
    }

    @Test
    void changesToTheFileCountAtTheNextAttempt() throws IOException {
        Path file = dir.resolve("users");
        UserFileAuthenticator authenticator = new UserFileAuthenticator(file, HASHER, 2);
        assertThat(authenticator.authenticate("bob", utf8("pw"))).as("no file yet").isEmpty();

        UserFile.write(file, List.of(new User("bob", HASHER.hash(utf8("pw")), List.of())));
        assertThat(authenticator.authenticate("bob", utf8("pw"))).isPresent();

        UserFile.write(file, List.of(new User("bob", HASHER.hash(utf8("new")), List.of())));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        assertThat(authenticator.authenticate("bob", utf8("pw"))).isEmpty();
        assertThat(authenticator.authenticate("bob", utf8("new"))).isPresent();

        UserFile.write(file, List.of());
        assertThat(authenticator.authenticate("bob", utf8("new"))).as("removed").isEmpty();
    }

    @Test
    void aDamagedFileIsAnErrorNotAnEmptyUserList() throws IOException {
        Path file = Files.writeString(dir.resolve("users"), "garbage\n");
        UserFileAuthenticator authenticator = new UserFileAuthenticator(file, HASHER, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> authenticator.authenticate("x", utf8("y")))
                .isInstanceOf(IOException.class);
    }
}
