package org.heraldmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SizeBoundTest {

    private final ObjectMapper json = new ObjectMapper();
    private final MimeComposer composer = new MimeComposer("mail.herald.test",
            InstantSource.fixed(Instant.parse("2026-12-03T12:00:00Z")));

    /** Templates chosen to make Jakarta Mail's encodings grow the most: "=" signs, long lines, non-ASCII vars. */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "equals", "utf8", "long-lines", "attachment", "html-and-headers"})
    void theBoundIsNeverBelowTheComposedSize(String kind) throws Exception {
        ObjectNode template = json.createObjectNode().put("from", "\"Ünïcode Shop\" <shop@sender.test>");
        String var = switch (kind) {
            case "utf8" -> "ü€😀".repeat(300);
            case "equals" -> "é";
            default -> "value";
        };
        String text = switch (kind) {
            case "equals" -> "=".repeat(5000) + " {{v}}";
            case "long-lines" -> "x".repeat(20_000) + "{{v}}{{v}}";
            default -> "Hello {{v}}, {{v}}! ".repeat(50);
        };
        template.put("subject", "Sübject {{v}} " + "=?".repeat(40)).put("text", text);
        if (kind.equals("html-and-headers")) {
            template.put("html", "<p>" + text + "</p>").putObject("headers").put("X-Long", "h ".repeat(500));
        }
        if (kind.equals("attachment")) {
            byte[] content = new byte[30_000];
            new Random(1).nextBytes(content);
            template.putArray("attachments").addObject().put("name", "dätä.bin")
                    .put("content", Base64.getEncoder().encodeToString(content));
        }
        JsonMessage message = JsonMessage.from(template, false);
        Map<String, String> vars = Map.of("v", var);
        String email = "\"Ännä Exämple\" <anna@a.test>";

        int composed = composer.compose(message.personalised(vars).addressedTo(email),
                new QueueId("0000000000000000")).length;

        assertThat(SizeBound.of(message).forRecipient(email, vars)).isGreaterThanOrEqualTo(composed);
    }
}
