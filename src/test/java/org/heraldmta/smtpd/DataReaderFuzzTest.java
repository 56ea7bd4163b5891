package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the DATA reader against a model written independently of it: the message ends at the
 * first CRLF "." CRLF (the start counts as a CRLF) and nowhere else, so no smuggled end can split one client's
 * bytes into two messages; an accepted message holds only CRLF line ends and no NUL; and an accepted message,
 * dot-stuffed again as it goes out, reads back byte for byte and ends exactly where it should.
 */
class DataReaderFuzzTest {

    private static final byte[] END = {'\r', '\n', '.', '\r', '\n'};

    @FuzzTest(maxDuration = "10s")
    void theMessageEndsOnlyAtTheRealEndOfDataAndAcceptedContentIsClean(byte[] wire) throws IOException {
        int end = endOfData(wire);
        ByteArrayInputStream client = new ByteArrayInputStream(wire);
        SmtpInput input = new SmtpInput(client, () -> { });
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        if (end < 0) {
            assertThatThrownBy(() -> new DataReader(input, Long.MAX_VALUE).transfer(sink))
                    .isInstanceOf(EOFException.class).hasMessageContaining("before the end of data");
            return;
        }
        DataReader.Outcome outcome = new DataReader(input, Long.MAX_VALUE).transfer(sink);
        int consumed = wire.length - client.available() - input.discardBuffered();
        assertThat(consumed).as("bytes read as the message").isEqualTo(end);

        byte[] content = sink.toByteArray();
        if (outcome.defect().isEmpty()) {
            assertThat(content).isEqualTo(unstuffed(Arrays.copyOf(wire, end)));
            assertThat(outcome.size()).isEqualTo(content.length);
            assertOnlyCrlfLineEndsAndNoNul(content);
            byte[] again = stuffed(content);
            ByteArrayInputStream resent = new ByteArrayInputStream(again);
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            DataReader.Outcome second = new DataReader(new SmtpInput(resent, () -> { }), Long.MAX_VALUE)
                    .transfer(copy);
            assertThat(second.defect()).isEmpty();
            assertThat(copy.toByteArray()).isEqualTo(content);
            assertThat(resent.available()).as("the resent message ends exactly at its end").isZero();
        } else {
            assertThat(defectIn(Arrays.copyOf(wire, end))).as("a defect is reported only when there is one").isTrue();
        }
    }

    /** Length of the message on the wire including its final ".CRLF", or -1 when it never ends. */
    private static int endOfData(byte[] wire) {
        byte[] withStart = new byte[wire.length + 2];
        withStart[0] = '\r';
        withStart[1] = '\n';
        System.arraycopy(wire, 0, withStart, 2, wire.length);
        for (int i = 0; i + END.length <= withStart.length; i++) {
            if (Arrays.equals(withStart, i, i + END.length, END, 0, END.length)) {
                return i + END.length - 2;
            }
        }
        return -1;
    }

    /** The wire form without its final ".CRLF" and with one leading dot removed from every line. */
    private static byte[] unstuffed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (int i = 0; i < message.length - 3; i++) {
            byte b = message[i];
            if (!(lineStart && b == '.')) {
                out.write(b);
            }
            lineStart = b == '\n' && i > 0 && message[i - 1] == '\r';
        }
        return out.toByteArray();
    }

    private static byte[] stuffed(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        out.writeBytes(new byte[] {'.', '\r', '\n'});
        return out.toByteArray();
    }

    private static boolean defectIn(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            boolean bareLf = b == '\n' && (i == 0 || message[i - 1] != '\r');
            boolean bareCr = b == '\r' && (i + 1 == message.length || message[i + 1] != '\n');
            if (b == 0 || bareLf || bareCr) {
                return true;
            }
        }
        return false;
    }

    private static void assertOnlyCrlfLineEndsAndNoNul(byte[] content) {
        assertThat(defectIn(content)).as("bare CR, bare LF or NUL in accepted content").isFalse();
        if (content.length > 0) {
            assertThat(content[content.length - 1]).as("content ends with its line end").isEqualTo((byte) '\n');
        }
    }
}
