package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderSectionWriterTest {

    private static final String RECEIVED = "Received: x\r\n";
    private static final String ID = "Message-ID: <id@h>\r\n";
    private static final String DATE = "Date: d\r\n";

    private static String rewrite(String message, int chunk, int maxHeaderBlock) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderSectionWriter writer = new HeaderSectionWriter(out, RECEIVED, ID, DATE, maxHeaderBlock);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            writer.write(bytes, i, Math.min(chunk, bytes.length - i));
        }
        writer.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String rewrite(String message) throws IOException {
        return rewrite(message, 7, 100_000);
    }

    @Test
    void missingMessageIdAndDateAreAddedAfterReceived() throws IOException {
        assertThat(rewrite("Subject: s\r\n\r\nbody\r\n"))
                .isEqualTo(RECEIVED + ID + DATE + "Subject: s\r\n\r\nbody\r\n");
    }

    @Test
    void presentFieldsAreNotAddedAgainWhateverTheirCaseOrFolding() throws IOException {
        String message = "MESSAGE-id : <x@y>\r\nDate:\r\n Tue, 3 Jun 2025 10:00:00 +0000\r\n\r\nbody\r\n";
        assertThat(rewrite(message, 1, 100_000)).isEqualTo(RECEIVED + message);
    }

    @Test
    void fieldsInTheBodyDoNotCount() throws IOException {
        String message = "Subject: s\r\n\r\nMessage-ID: <in@body>\r\nDate: later\r\n";
        assertThat(rewrite(message)).isEqualTo(RECEIVED + ID + DATE + message);
    }

    @Test
    void messageWithoutHeaderSectionGetsAnEmptyLineBeforeItsText() throws IOException {
        assertThat(rewrite("just text\r\nmore\r\n")).isEqualTo(RECEIVED + ID + DATE + "\r\njust text\r\nmore\r\n");
        assertThat(rewrite(" indented\r\n")).isEqualTo(RECEIVED + ID + DATE + "\r\n indented\r\n");
    }

    @Test
    void emptyMessageAndHeaderOnlyMessageAreCompleted() throws IOException {
        assertThat(rewrite("")).isEqualTo(RECEIVED + ID + DATE);
        assertThat(rewrite("Date: d0\r\n")).isEqualTo(RECEIVED + ID + "Date: d0\r\n");
    }

    @Test
    void oversizedHeaderSectionStreamsOnAfterTheBound() throws IOException {
        String huge = "X-Filler: " + "f".repeat(5000) + "\r\n";
        String message = huge + "Message-ID: <late@x>\r\n\r\nbody\r\n";
        String out = rewrite(message, 100, 1024);
        assertThat(out).startsWith(RECEIVED + ID + DATE).endsWith(message);
    }
}
