package org.heraldmta.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.heraldmta.mail.Address;
import org.junit.jupiter.api.Test;

class UserTest {

    private static final String HASH = new PasswordHasher(PasswordHasher.Cost.FOR_TESTS)
            .hash("pw".getBytes(StandardCharsets.UTF_8));

    private static User restrictedTo(String... senders) {
        return new User("alice", HASH, List.of(senders).stream().map(SenderPattern::parse).toList());
    }

    @Test
    void aUserWithoutRestrictionsMaySendAsAnyone() {
        User user = restrictedTo();
        assertThat(user.maySendAs(Address.parse("anyone@anywhere.test"))).isTrue();
        assertThat(user.maySendAs(Address.NULL_SENDER)).isTrue();
    }

    @Test
    void addressesAndWholeDomainsMatchWithoutRegardToCase() {
        User user = restrictedTo("alice@example.test", "@shop.example.test");
        assertThat(user.maySendAs(Address.parse("alice@example.test"))).isTrue();
        assertThat(user.maySendAs(Address.parse("Alice@EXAMPLE.test"))).isTrue();
        assertThat(user.maySendAs(Address.parse("orders@shop.example.test"))).isTrue();
        assertThat(user.maySendAs(Address.parse("bob@example.test"))).isFalse();
        assertThat(user.maySendAs(Address.parse("x@eu.shop.example.test"))).as("subdomains are not included").isFalse();
        assertThat(user.maySendAs(Address.NULL_SENDER)).as("the null sender is nobody's address").isFalse();
    }

    @Test
    void namesAndHashesAreChecked() {
        assertThatThrownBy(() -> new User("al ice", HASH, List.of())).hasMessageContaining("user name");
        assertThatThrownBy(() -> new User("al:ice", HASH, List.of())).hasMessageContaining("user name");
        assertThatThrownBy(() -> new User("alice", "secret", List.of())).hasMessageContaining("Argon2id");
        assertThat(new User("alice@example.test", HASH, List.of()).name()).isEqualTo("alice@example.test");
    }

    @Test
    void toStringNeverShowsTheHash() {
        assertThat(restrictedTo("@example.test").toString()).contains("alice").contains("@example.test")
                .doesNotContain("argon2");
    }
}
