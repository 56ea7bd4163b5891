package org.heraldmta.smtpd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SMTP command reader: one {@link SmtpInput#readLine} of the lines a client sends for each message (MAIL, RCPT,
 * DATA, RSET), read from a client that pipelines them (16 KB reads, as a socket's buffer hands them over), with the
 * per-line deadline the session uses. The result is command lines per second; the decoded {@link InputLine} is
 * returned so that nothing is optimised away.
 *
 * <p>Run with {@code bench/jmh.sh SmtpInput}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmtpInputBenchmark {

    private static final String COMMANDS = "MAIL FROM:<source@client.bench.test> SIZE=5120\r\n"
            + "RCPT TO:<user@dest.bench.test>\r\n"
            + "DATA\r\n"
            + "RSET\r\n";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    private SmtpInput input;

    @Setup
    public void connect() {
        byte[] stream = COMMANDS.repeat(64).getBytes(StandardCharsets.US_ASCII);
        input = new SmtpInput(new RepeatingInputStream(stream, 16 * 1024), () -> { });
    }

    @Benchmark
    public InputLine readCommandLine() throws IOException {
        return input.readLine(512, COMMAND_TIMEOUT);
    }
}
