package org.heraldmta.smtpd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The DATA reader: one {@link DataReader#transfer} of a whole message of {@code size} bytes, from the byte after
 * the 354 reply to the final dot, with end-of-data detection, bare CR/LF checks and dot-unstuffing, into a sink that
 * drops the bytes (the spool's cost is {@code SpoolCommitBenchmark}'s). The message is 76-character lines of
 * text, and {@code dottedLines} of every 100 lines start with a dot that the client doubled (dot-stuffing), so
 * that the unstuffing path is measured too. The result is messages per second; bytes per second is that times
 * {@code size}.
 *
 * <p>Run with {@code bench/jmh.sh DataReader}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataReaderBenchmark {

    @Param({"5120", "102400"})
    public int size;

    @Param({"0", "10"})
    public int dottedLines;

    private SmtpInput input;
    private final OutputStream sink = OutputStream.nullOutputStream();

    @Setup
    public void connect() {
        byte[] message = message(size, dottedLines);
        input = new SmtpInput(new RepeatingInputStream(message, 16 * 1024), () -> { });
    }

    /** A dot-stuffed message of about {@code size} bytes after unstuffing, with its final dot. */
    static byte[] message(int size, int dottedPercent) {
        Random random = new Random(7);
        StringBuilder wire = new StringBuilder(size + size / 50 + 8);
        int unstuffed = 0;
        for (int line = 0; unstuffed < size; line++) {
            StringBuilder text = new StringBuilder(76);
            if (line % 100 < dottedPercent) {
                text.append('.');
            }
            while (text.length() < 76) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            unstuffed += text.length() + 2;
            wire.append(text.charAt(0) == '.' ? "." : "").append(text).append("\r\n");
        }
        wire.append(".\r\n");
        return wire.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public DataReader.Outcome transferMessage() throws IOException {
        return new DataReader(input, 25L * 1024 * 1024).transfer(sink);
    }
}
