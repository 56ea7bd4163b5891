package org.heraldmta.spool;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Spool#open()} found: how many messages it recovered and which damaged entries it moved aside.
 */
public record RecoveryReport(int recovered, List<Quarantined> quarantined) {

    public RecoveryReport {
        quarantined = List.copyOf(quarantined);
    }

    /** A damaged entry, where it now lies, and why it was moved there. */
    public record Quarantined(Path movedTo, String reason) {
    }
}
