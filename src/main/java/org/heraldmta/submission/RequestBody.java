package org.heraldmta.submission;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A request body kept so that it can be read more than once: in memory up to a threshold, then in a scratch file
 * (deleted on {@link #close()}). A batch is read once to validate every field and once more to queue its messages,
 * so that a wrong field anywhere queues nothing, while thousands of recipients never sit in memory together.
 * Used by one thread at a time.
 */
final class RequestBody implements AutoCloseable {

    /** The body is longer than the limit; what was read is discarded. */
    static final class TooLarge extends Exception {
        TooLarge(long limit) {
            super("the request body is larger than " + limit + " bytes");
        }
    }

    /** The scratch file could not be written (a full disk, most likely). */
    static final class ScratchFailure extends IOException {
        ScratchFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private byte[] memory;
    private int count;
    private Path file;

    private RequestBody() {
    }

    /**
     * Reads {@code in} to its end.
     *
     * @throws TooLarge    when it holds more than {@code limit} bytes
     * @throws IOException when reading the request or writing the scratch file fails
     */
    static RequestBody read(InputStream in, long limit, int memoryThreshold, Path scratchDirectory)
            throws IOException, TooLarge {
        RequestBody body = new RequestBody();
        try {
            body.fill(in, limit, memoryThreshold, scratchDirectory);
            return body;
        } catch (IOException | TooLarge | RuntimeException e) {
            body.close();
            throw e;
        }
    }

    private void fill(InputStream in, long limit, int memoryThreshold, Path scratchDirectory)
            throws IOException, TooLarge {
        memory = new byte[Math.min(memoryThreshold, 8192) + 1];
        long total = 0;
        OutputStream spill = null;
        try {
            byte[] chunk = new byte[64 * 1024];
            int n;
            while ((n = in.read(chunk)) != -1) {
                total += n;
                if (total > limit) {
                    throw new TooLarge(limit);
                }
                if (spill == null && count + n > memoryThreshold) {
                    spill = startSpilling(scratchDirectory);
                }
                if (spill != null) {
                    try {
                        spill.write(chunk, 0, n);
                    } catch (IOException e) {
                        throw new ScratchFailure(e);
                    }
                } else {
                    if (count + n > memory.length) {
                        memory = Arrays.copyOf(memory, Math.min(Math.max(memory.length * 2, count + n),
                                memoryThreshold));
                    }
                    System.arraycopy(chunk, 0, memory, count, n);
                    count += n;
                }
            }
        } finally {
            if (spill != null) {
                try {
                    spill.close();
                } catch (IOException e) {
                    throw new ScratchFailure(e);
                }
            }
        }
    }

    private OutputStream startSpilling(Path scratchDirectory) throws ScratchFailure {
        try {
            Files.createDirectories(scratchDirectory);
            file = Files.createTempFile(scratchDirectory, "request-", ".json");
            OutputStream spill = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            spill.write(memory, 0, count);
            memory = null;
            return spill;
        } catch (IOException e) {
            throw new ScratchFailure(e);
        }
    }

    /** True when the body went to a scratch file. */
    boolean spilled() {
        return file != null;
    }

    /** The body from its first byte; each call starts again. */
    InputStream open() throws IOException {
        return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(memory, 0, count);
    }

    @Override
    public void close() {
        memory = null;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a scratch file left behind is harmless; the directory is Herald's own
            }
            file = null;
        }
    }
}
