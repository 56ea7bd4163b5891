package org.heraldmta.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the channel through which a new journal segment is written. The spool only appends, forces and truncates
 * through it. Tests substitute channels that fail like a full disk or force slowly like a real one.
 */
@FunctionalInterface
public interface SegmentChannels {

    /** Plain files. */
    SegmentChannels FILES = path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);

    /** Creates the segment file (it does not exist yet) and opens it for reading and writing. */
    FileChannel create(Path path) throws IOException;
}
