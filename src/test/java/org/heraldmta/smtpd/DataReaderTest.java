package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.heraldmta.smtpd.DataReader.Defect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataReaderTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    private SmtpInput input(String wire) {
        return new SmtpInput(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), () -> { });
    }

    private DataReader.Outcome read(SmtpInput in, long maxSize) throws IOException {
        return new DataReader(in, maxSize).transfer(sink);
    }

    private String sinkText() {
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void messageEndsAtCrlfDotCrlfAndLeavesTheRestForCommands() throws IOException {
        SmtpInput in = input("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        DataReader.Outcome outcome = read(in, 1000);
        assertThat(sinkText()).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        assertThat(outcome.size()).isEqualTo(sinkText().length());
        assertThat(outcome.defect()).isEmpty();
        assertThat(outcome.tooBig()).isFalse();
        assertThat(in.readLine(512)).isEqualTo(new InputLine.Text("QUIT"));
    }

    @Test
    void emptyMessageIsJustTheDot() throws IOException {
        DataReader.Outcome outcome = read(input(".\r\n"), 1000);
        assertThat(outcome.size()).isZero();
        assertThat(sinkText()).isEmpty();
    }

    @Test
    void leadingDotsAreUnstuffedOnceAndOnlyAtLineStart() throws IOException {
        read(input("..one\r\n...two\r\nmid.dle.\r\n.x\r\n..\r\n.\r\n"), 1000);
        assertThat(sinkText()).isEqualTo(".one\r\n..two\r\nmid.dle.\r\nx\r\n.\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "LF dot LF        | \\n.\\n         | BARE_LF",
            "CR dot CR        | \\r.\\r         | BARE_CR",
            "CRLF dot LF      | \\r\\n.\\n       | BARE_LF",
            "LF dot CRLF      | \\n.\\r\\n       | BARE_LF",
            "CRLF dot CR      | \\r\\n.\\r       | BARE_CR",
            "CR dot CRLF      | \\r.\\r\\n       | BARE_CR",
            "CRLF dot CR CRLF | \\r\\n.\\r\\r\\n | BARE_CR",
            "NUL              | \\u0000         | NUL"})
    void fakeEndsOfDataDoNotEndTheMessageAndRefuseIt(String name, String fakeEnd, Defect expected)
            throws IOException {
        String fake = unescape(fakeEnd);
        String smuggled = "MAIL FROM:<evil@example.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\nevil\r\n";
        SmtpInput in = input("first" + fake + smuggled + ".\r\nNOOP\r\n");
        DataReader.Outcome outcome = read(in, 100_000);
        assertThat(outcome.defect()).contains(expected);
        assertThat(in.readLine(512)).as("the line after the real end of data").isEqualTo(new InputLine.Text("NOOP"));
    }

    @Test
    void nothingIsWrittenOnceADefectIsFound() throws IOException {
        read(input(pad('a', 20_000) + "\n" + pad('b', 20_000) + "\r\n.\r\n"), 100_000);
        assertThat(sinkText()).doesNotContain("b").hasSizeLessThan(20_000);
    }

    @Test
    void messageOverTheLimitIsDrainedToItsEndWithoutBeingWritten() throws IOException {
        String line = pad('x', 998) + "\r\n";
        SmtpInput in = input(line.repeat(200) + ".\r\nNOOP\r\n");
        DataReader.Outcome outcome = read(in, 10_000);
        assertThat(outcome.tooBig()).isTrue();
        assertThat(outcome.size()).isEqualTo(200L * 1000);
        assertThat(sink.size()).isLessThanOrEqualTo(10_000);
        assertThat(in.readLine(512)).isEqualTo(new InputLine.Text("NOOP"));
    }

    @Test
    void linesLongerThanRfcLimitAreKeptWhole() throws IOException {
        String longLine = pad('y', 5000) + "\r\n";
        DataReader.Outcome outcome = read(input(longLine + ".\r\n"), 100_000);
        assertThat(outcome.defect()).isEmpty();
        assertThat(sinkText()).isEqualTo(longLine);
    }

    @Test
    void failingSinkIsReportedAndTheMessageStillReadToItsEnd() throws IOException {
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        SmtpInput in = input("body\r\n.\r\nNOOP\r\n");
        DataReader.Outcome outcome = new DataReader(in, 1000).transfer(failing);
        assertThat(outcome.sinkFailure()).isPresent();
        assertThat(in.readLine(512)).isEqualTo(new InputLine.Text("NOOP"));
    }

    @Test
    void connectionClosedBeforeTheEndIsAnError() {
        assertThatThrownBy(() -> read(input("body\r\n"), 1000)).isInstanceOf(EOFException.class);
    }

    @ParameterizedTest(name = "reads of {0} bytes")
    @CsvSource({"1", "2", "3", "5", "7", "64"})
    void whereTheClientsBytesAreSplitChangesNothing(int readSize) throws IOException {
        java.util.Random random = new java.util.Random(readSize);
        String alphabet = "ab.\r\n\r\n..\r\n\u0000";
        for (int round = 0; round < 300; round++) {
            StringBuilder body = new StringBuilder();
            for (int i = random.nextInt(60); i > 0; i--) {
                body.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String wire = body + "\r\n.\r\nNOOP\r\n";
            long maxSize = random.nextBoolean() ? 1000 : random.nextInt(40);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            SmtpInput wholeInput = input(wire);
            DataReader.Outcome expected = new DataReader(wholeInput, maxSize).transfer(whole);
            ByteArrayOutputStream split = new ByteArrayOutputStream();
            SmtpInput splitInput = new SmtpInput(new java.io.FilterInputStream(
                    new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1))) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, readSize));
                }
            }, () -> { });
            DataReader.Outcome actual = new DataReader(splitInput, maxSize).transfer(split);
            assertThat(actual).as("outcome for %s", wire).isEqualTo(expected);
            if (expected.defect().isEmpty()) {
                assertThat(split.toString(StandardCharsets.ISO_8859_1)).as("content for %s", wire)
                        .isEqualTo(whole.toString(StandardCharsets.ISO_8859_1));
            }
            // A random body may hold an end of data of its own: then both stop there, and read on from there.
            assertThat(splitInput.readLine(512)).as("the line after the end of data of %s", wire)
                    .isEqualTo(wholeInput.readLine(512));
        }
    }

    @Test
    void bareCrIsNotCountedAndDotStuffedLinesAreCountedUnstuffed() throws IOException {
        DataReader.Outcome outcome = read(input("a\rb\r\n..c\r\n.\r\n"), 1000);
        assertThat(outcome.defect()).contains(Defect.BARE_CR);
        assertThat(outcome.size()).isEqualTo("ab\r\n.c\r\n".length());
    }

    private static String pad(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\0");
    }
}
