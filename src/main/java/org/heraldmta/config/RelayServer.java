package org.heraldmta.config;

import java.util.Optional;

/**
 * One {@code [[relay]]} entry: a smarthost Herald hands mail to in relay mode.
 *
 * @param host     name or IP literal (names are resolved through Herald's own resolver)
 * @param port     TCP port
 * @param tls      TLS mode; with STARTTLS and IMPLICIT the relay's certificate is verified
 * @param username AUTH user, if the relay needs one
 * @param password AUTH password
 */
public record RelayServer(String host, int port, RelayTls tls, Optional<String> username, Optional<String> password) {

    @Override
    public String toString() {
        return host + ":" + port + " (" + tls.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
