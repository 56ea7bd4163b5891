/**
 * The configuration: one TOML file turned into immutable, validated records, and the resolution of per-domain rules
 * ({@link org.heraldmta.config.DomainRules}: exact domain, wildcard, MX rule, default, built-in, key by key, with an
 * explanation of where each value came from).
 *
 * <p>Guarantees: every setting has a default; a file with an unknown key, a wrong type or a bad value is refused
 * with a {@link org.heraldmta.config.ConfigException} naming the file, the key and what is allowed. Nothing here
 * opens sockets.
 */
package org.heraldmta.config;
