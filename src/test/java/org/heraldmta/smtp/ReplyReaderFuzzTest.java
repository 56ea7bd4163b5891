package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.heraldmta.mail.SmtpReply;

/**
 * Coverage-guided fuzzing of the outbound reply parser with whatever a remote server may send: every reply read
 * is well formed and reads back the same from its wire form (parse, format, parse is stable), and everything else
 * ends in Herald's own {@link SmtpProtocolException} or an end of stream, with a message for the transcript.
 */
class ReplyReaderFuzzTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @FuzzTest(maxDuration = "10s")
    void everyReplyReadIsWellFormedAndEveryFailureIsOurOwnWithAReason(byte[] wire) {
        ReplyReader reader = reader(wire);
        for (int replies = 0; ; replies++) {
            List<String> transcript = new ArrayList<>();
            SmtpReply reply;
            try {
                reply = reader.read(TIMEOUT, transcript::add);
            } catch (SmtpProtocolException | EOFException refused) {
                assertThat(refused.getMessage()).isNotBlank();
                assertThat(transcript.size()).isLessThanOrEqualTo(ReplyReader.MAX_LINES);
                return;
            } catch (IOException other) {
                throw new AssertionError("unexpected failure reading a reply", other);
            }
            assertThat(reply.code()).isBetween(200, 599);
            assertThat(transcript).hasSize(reply.lines().size());
            assertThat(transcript).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
            try {
                SmtpReply again = reader(reply.toWire().getBytes(StandardCharsets.UTF_8)).read(TIMEOUT, line -> { });
                assertThat(again).isEqualTo(reply);
            } catch (IOException e) {
                throw new AssertionError("the wire form of " + reply + " does not read back", e);
            }
        }
    }

    private static ReplyReader reader(byte[] wire) {
        return new ReplyReader(new TimeoutIgnoringSocket(), new ByteArrayInputStream(wire));
    }

    /** The reader sets read time-outs on its socket; an in-memory stream never blocks, so they are not needed. */
    private static final class TimeoutIgnoringSocket extends Socket {
        @Override
        public void setSoTimeout(int timeout) {
        }
    }
}
