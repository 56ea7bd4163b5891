package org.heraldmta.spool;

import java.time.Duration;

/**
 * Told how long each force of the journal to disk took (the fsync a 250 waits for), so that metrics can show it
 * without the spool knowing about any metrics library. Called on the committer thread: it must be quick and must
 * not throw.
 */
@FunctionalInterface
public interface ForceListener {

    ForceListener NONE = took -> { };

    void forced(Duration took);
}
