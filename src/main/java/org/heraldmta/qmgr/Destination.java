package org.heraldmta.qmgr;

import org.heraldmta.config.DomainRules;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.mail.Domain;

/**
 * What shaping limits are counted against: today one recipient domain; later also an MX rule
 * ({@code [mx."*.outlook.test"]}) whose budget several domains share. Work for a destination waits in one
 * ready queue, and {@code max_connections}, {@code max_continuous} and {@code delay_for_continuing} apply to the
 * destination as a whole.
 */
public sealed interface Destination {

    /** A name for people: the domain, or later the MX rule's pattern. */
    String name();

    /** The limits of this destination under the current rules. Cheap: a map look-up. */
    DomainSettings limits(DomainRules rules);

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
}
