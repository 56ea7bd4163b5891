package org.heraldmta.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may relay through Herald without authentication ({@code [access]}), and the limits every client is held to.
 *
 * <p>The rules are tried in order and the first whose block contains the client decides; a client no rule matches
 * may not relay. A client that authenticates may relay whatever the rules say (the server checks that, not this
 * record).
 *
 * @param rules  ordered allow and deny rules, first match wins, deny when none matches
 * @param limits connection, command and AUTH failure limits
 */
public record AccessSettings(List<AccessRule> rules, ClientLimits limits) {

    public static final AccessSettings DEFAULTS = new AccessSettings(
            List.of(AccessRule.allow(Cidr.parse("127.0.0.0/8")), AccessRule.allow(Cidr.parse("::1/128"))),
            ClientLimits.DEFAULTS);

    public AccessSettings {
        rules = List.copyOf(rules);
        Objects.requireNonNull(limits);
    }

    /** The blocks that may relay, everything else denied ({@code [access] allow = [...]}), with default limits. */
    public AccessSettings(List<Cidr> allow) {
        this(allow.stream().map(AccessRule::allow).toList(), ClientLimits.DEFAULTS);
    }

    /** The same rules with other limits. */
    public AccessSettings withLimits(ClientLimits newLimits) {
        return new AccessSettings(rules, newLimits);
    }

    /** The blocks of the allow rules, in order (what {@code allow = [...]} lists; deny rules are left out). */
    public List<Cidr> allow() {
        return rules.stream().filter(r -> r.action() == AccessRule.Action.ALLOW).map(AccessRule::block).toList();
    }

    /** The rule that decides for this client, if any. */
    public Optional<AccessRule> ruleFor(InetAddress client) {
        return rules.stream().filter(rule -> rule.matches(client)).findFirst();
    }

    public boolean mayRelay(InetAddress client) {
        return ruleFor(client).map(rule -> rule.action() == AccessRule.Action.ALLOW).orElse(false);
    }
}
