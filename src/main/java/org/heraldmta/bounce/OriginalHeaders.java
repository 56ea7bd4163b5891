package org.heraldmta.bounce;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads the header section of a stored message, to return it in a bounce. */
public final class OriginalHeaders {

    /** Header sections larger than this are cut at a line end: a bounce should not carry a huge header block. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private OriginalHeaders() {
    }

    /**
     * The header section of {@code content}: every byte up to (not including) the first empty line, with CRLF line
     * ends (bare LF becomes CRLF), cut after at most {@code limit} bytes at a line end. Reads only as far as needed.
     */
    public static byte[] read(InputStream content, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        boolean ended = false;
        while (!ended && (b = content.read()) != -1) {
            if (b == '\n') {
                byte[] text = line.toByteArray();
                int length = text.length > 0 && text[text.length - 1] == '\r' ? text.length - 1 : text.length;
                if (length == 0 || out.size() + length + 2 > limit) {
                    ended = true;
                    continue;
                }
                out.write(text, 0, length);
                out.write('\r');
                out.write('\n');
                line.reset();
            } else {
                line.write(b);
            }
        }
        // A message that is all headers may end without a final line end; keep its last line.
        if (!ended && line.size() > 0 && out.size() + line.size() + 2 <= limit) {
            out.write(line.toByteArray());
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
