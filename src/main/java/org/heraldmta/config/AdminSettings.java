package org.heraldmta.config;

import java.util.Optional;

/** The HTTP admin API and console ({@code [admin]}). */
public record AdminSettings(ListenAddress listen, Optional<String> token) {

    public static final AdminSettings DEFAULTS = new AdminSettings(new ListenAddress("127.0.0.1", 8025), Optional.empty());

    /** Never shows the token: settings end up in log lines and error messages. */
    @Override
    public String toString() {
        return "AdminSettings[listen=" + listen + ", token=" + (token.isPresent() ? "(set)" : "(none)") + "]";
    }
}
