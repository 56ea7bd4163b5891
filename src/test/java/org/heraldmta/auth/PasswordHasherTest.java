package org.heraldmta.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.Cost.FOR_TESTS);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = hasher.hash(utf8("correct horse"));
        assertThat(hash).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain("correct");
        assertThat(hasher.verify(utf8("correct horse"), hash)).isTrue();
        assertThat(hasher.verify(utf8("correct horsf"), hash)).isFalse();
        assertThat(hasher.verify(utf8(""), hash)).isFalse();
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertThat(hasher.hash(utf8("same"))).isNotEqualTo(hasher.hash(utf8("same")));
    }

    @Test
    void hashesOfTheReferenceImplementationVerify() {
        // From the Argon2 reference implementation's test suite (src/test.c, Argon2id, version 0x13).
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(PasswordHasher.isValidHash(reference)).isTrue();
        assertThat(hasher.verify(utf8("password"), reference)).as("cost is read from the hash").isTrue();
        assertThat(hasher.verify(utf8("Password"), reference)).isFalse();
    }

    @Test
    void theDefaultCostIsStoredWithTheHash() {
        String hash = new PasswordHasher().hash(utf8("pw"));
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify(utf8("pw"), hash)).isTrue();
    }

    @Test
    void malformedHashesVerifyNothing() {
        assertThat(PasswordHasher.isValidHash("$2y$12$abcdefghijklmnopqrstuu")).isFalse();
        assertThat(PasswordHasher.isValidHash("$argon2id$v=19$m=64,t=1,p=1$!!!!!!!!!!!!!!!!$AAAAAAAAAAAAAAAAAAAAAA")).isFalse();
        assertThat(PasswordHasher.isValidHash("$argon2id$v=19$m=1,t=1,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAA"))
                .as("memory below 8 KiB per lane").isFalse();
        assertThat(hasher.verify(utf8("x"), "plain text")).isFalse();
    }
}
