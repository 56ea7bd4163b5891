package org.heraldmta.app;

import java.time.InstantSource;
import org.heraldmta.config.HeraldConfig;

/** The running server: the one place that creates and connects the stages. */
public final class Herald implements AutoCloseable {

    private Herald() {
    }

    public static Herald start(HeraldConfig config, InstantSource clock) {
        throw new UnsupportedOperationException("wiring pending");
    }

    @Override
    public void close() {
    }
}
