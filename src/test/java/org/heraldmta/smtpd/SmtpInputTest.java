package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SmtpInputTest {

    private static SmtpInput input(byte[] wire) {
        return new SmtpInput(new ByteArrayInputStream(wire), () -> { });
    }

    private static SmtpInput input(String wire) {
        return input(wire.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lineOf512OctetsWithCrlfIsAcceptedAndOneMoreIsTooLongButTheNextLineIsRead() throws IOException {
        String fits = "N".repeat(510);
        SmtpInput in = input(fits + "\r\n" + "N".repeat(511) + "\r\nNOOP\r\n");
        assertThat(in.readLine(512)).isEqualTo(new InputLine.Text(fits));
        assertThat(in.readLine(512)).isInstanceOf(InputLine.TooLong.class);
        assertThat(in.readLine(512)).isEqualTo(new InputLine.Text("NOOP"));
    }

    @Test
    void bareLfBareCrAndNulMakeALineMalformed() throws IOException {
        SmtpInput in = input("NOOP\nNO\rOP\r\nNO\0OP\r\nNOOP\r\n");
        assertThat(in.readLine(512)).isInstanceOf(InputLine.Malformed.class);
        assertThat(in.readLine(512)).isInstanceOf(InputLine.Malformed.class);
        assertThat(in.readLine(512)).isInstanceOf(InputLine.Malformed.class);
        assertThat(in.readLine(512)).isEqualTo(new InputLine.Text("NOOP"));
    }

    @Test
    void invalidUtf8IsMalformedAndValidUtf8IsText() throws IOException {
        byte[] wire = {'M', (byte) 0xC3, '\r', '\n', 'M', (byte) 0xC3, (byte) 0xA9, '\r', '\n'};
        SmtpInput in = input(wire);
        assertThat(in.readLine(512)).isInstanceOf(InputLine.Malformed.class);
        assertThat(in.readLine(512)).isEqualTo(new InputLine.Text("Mé"));
    }

    @Test
    void endlessLineIsAFloodAndPartialLastLineIsEndOfStream() throws IOException {
        assertThat(input("X".repeat(512 * SmtpInput.FLOOD_FACTOR + 1)).readLine(512))
                .isInstanceOf(InputLine.Flood.class);
        assertThat(input("QUI").readLine(512)).isInstanceOf(InputLine.EndOfStream.class);
    }

    @Test
    void pendingRepliesAreFlushedOnlyBeforeAReadThatMayBlock() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        SmtpInput in = new SmtpInput(new ByteArrayInputStream("A\r\nB\r\n".getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public synchronized int available() {
                return 0; // as a socket with nothing more in flight
            }
        }, flushes::incrementAndGet);
        in.readLine(512);
        assertThat(flushes).hasValue(1);
        assertThat(in.hasPendingInput()).isTrue();
        in.readLine(512);
        assertThat(flushes).as("B was buffered: no flush needed").hasValue(1);
        assertThat(in.hasPendingInput()).isFalse();
    }
}
