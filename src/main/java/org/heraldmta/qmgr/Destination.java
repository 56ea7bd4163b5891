package org.heraldmta.qmgr;

import java.util.Optional;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.mail.Domain;

/**
 * What shaping limits are counted against: one recipient domain, or an MX rule ({@code [mx."*.outlook.test"]})
 * whose budget all the domains with matching MX hosts share. Work for a destination waits in one ready queue, and
 * {@code max_connections}, {@code max_continuous}, {@code delay_for_continuing}, {@code max_message_rate} and
 * throttle pauses apply to the destination as a whole.
 */
public sealed interface Destination {

    /** A name for people: the domain, or the MX rule's pattern. */
    String name();

    /** The limits of this destination under the current rules. Cheap: a map look-up. */
    DomainSettings limits(DomainRules rules);

    /** The MX rule whose settings the destination's domains take, if it is one. */
    default Optional<String> mxRule() {
        return Optional.empty();
    }

    static Destination of(Domain domain) {
        return new OfDomain(domain);
    }

    /** All mail to one recipient domain. */
    record OfDomain(Domain domain) implements Destination {
        public OfDomain {
            if (domain == null) {
                throw new IllegalArgumentException("a destination needs a domain");
            }
        }

        @Override
        public String name() {
            return domain.name();
        }

        @Override
        public DomainSettings limits(DomainRules rules) {
            return rules.forDomain(domain);
        }
    }

    /** All mail to the domains whose MX hosts match one MX rule: one budget across them. */
    record OfMxRule(String pattern) implements Destination {
        @Override
        public String name() {
            return "mx " + pattern;
        }

        @Override
        public DomainSettings limits(DomainRules rules) {
            return rules.forMxRule(pattern);
        }

        @Override
        public Optional<String> mxRule() {
            return Optional.of(pattern);
        }
    }

    /**
     * A domain whose MX hosts are being looked up, because MX rules exist and one may apply: its work waits here
     * (never started) until the answer says which destination it belongs to.
     */
    record AwaitingMx(Domain domain) implements Destination {
        @Override
        public String name() {
            return domain.name();
        }

        @Override
        public DomainSettings limits(DomainRules rules) {
            return rules.forDomain(domain);
        }
    }
}
