package org.heraldmta.auth;

import java.util.Locale;
import java.util.Optional;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;

/**
 * A sender address a user may use: one address ({@code alice@example.org}) or every address of one domain
 * ({@code @example.org}, that domain only, not its subdomains). Addresses compare without regard to case.
 */
public record SenderPattern(Optional<String> localPart, Domain domain) {

    public static SenderPattern parse(String text) {
        if (text.startsWith("@")) {
            return new SenderPattern(Optional.empty(), Domain.of(text.substring(1)));
        }
        Address address = Address.parse(text);
        return new SenderPattern(Optional.of(address.localPart()), address.domain());
    }

    public boolean matches(Address sender) {
        if (sender.isNullSender() || !sender.domain().equals(domain)) {
            return false;
        }
        return localPart.map(local -> local.toLowerCase(Locale.ROOT).equals(
                sender.localPart().toLowerCase(Locale.ROOT))).orElse(true);
    }

    /** As written in the users file: {@code alice@example.org} or {@code @example.org}. */
    @Override
    public String toString() {
        return localPart.orElse("") + "@" + domain.name();
    }
}
