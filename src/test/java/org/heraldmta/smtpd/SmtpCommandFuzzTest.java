package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Coverage-guided fuzzing of the inbound command side: the bounded line reader, the verb split and the MAIL/RCPT
 * argument parser, with whatever bytes a client may send. Runs its corpus as a regression test in the normal
 * suite; fuzzes with {@code JAZZER_FUZZ=1} (see bench/fuzz.sh).
 */
class SmtpCommandFuzzTest {

    private static final int MAX_LINE = 512;

    @FuzzTest(maxDuration = "10s")
    void commandLinesStayInStepAndParseOnlyIntoWhatTheyCanBeWrittenBackAs(byte[] wire) throws IOException {
        SmtpInput input = new SmtpInput(new ByteArrayInputStream(wire), () -> { });
        long lineEnds = 0;
        for (byte b : wire) {
            lineEnds += b == '\n' ? 1 : 0;
        }
        long lines = 0;
        while (true) {
            InputLine line = input.readLine(MAX_LINE);
            if (line instanceof InputLine.EndOfStream || line instanceof InputLine.Flood) {
                if (line instanceof InputLine.EndOfStream) {
                    assertThat(lines).as("every LF ends exactly one line: the session stays in step")
                            .isEqualTo(lineEnds);
                }
                return;
            }
            lines++;
            if (line instanceof InputLine.Text text) {
                checkCommandLine(text.text());
            } else if (line instanceof InputLine.Malformed malformed) {
                assertThat(malformed.reason()).isNotBlank();
            }
        }
    }

    private static void checkCommandLine(String line) {
        assertThat(line).doesNotContain("\r", "\n", "\0");
        assertThat(line.getBytes(StandardCharsets.UTF_8).length + 2).isLessThanOrEqualTo(MAX_LINE);
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        if (verb.equals("MAIL") || verb.equals("RCPT")) {
            String keyword = verb.equals("MAIL") ? "FROM" : "TO";
            checkPathArgument(argument, keyword);
        }
    }

    /** What parses must survive being written again as Herald writes it outbound: parse, format, parse is stable. */
    private static void checkPathArgument(String argument, String keyword) {
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, keyword);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        String written = keyword + ":<" + parsed.path() + ">" + parsed.parameters().stream()
                .map(p -> " " + p.keyword() + p.value().map(v -> "=" + v).orElse(""))
                .collect(Collectors.joining());
        assertThat(PathArgument.parse(written, keyword)).isEqualTo(parsed);
    }
}
