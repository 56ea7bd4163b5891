package org.heraldmta.smtp;

import java.io.IOException;
import java.io.InputStream;

/** Opens a message's content from its first byte; may be called once per transaction. */
@FunctionalInterface
public interface MessageContent {
    InputStream open() throws IOException;
}
