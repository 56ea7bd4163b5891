package org.heraldmta.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Properties;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.api.Test;

class MimeComposerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final MimeComposer composer = new MimeComposer("mail.herald.test",
            InstantSource.fixed(Instant.parse("2026-12-03T12:00:00Z")));
    private final QueueId id = new QueueId("0123456789ABCDEF");

    private MimeMessage compose(String body) throws Exception {
        byte[] bytes = composer.compose(JsonMessage.from(json.readTree(body), true), id);
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    @Test
    void aTextAndHtmlMessageWithAnAttachmentIsWellFormedMime() throws Exception {
        MimeMessage message = compose("""
                {"from": "\\"Shop\\" <shop@sender.test>", "to": ["ann@a.test"], "bcc": ["hidden@b.test"],
                 "reply_to": "help@sender.test", "subject": "Your order ✓", "text": "plain", "html": "<p>rich</p>",
                 "headers": {"X-Campaign": "winter"},
                 "attachments": [{"name": "a.txt", "type": "text/plain", "content": "aGVsbG8="}]}
                """);
        assertThat(message.getMessageID()).isEqualTo("<0123456789ABCDEF@mail.herald.test>");
        assertThat(message.getSentDate().toInstant()).isEqualTo(Instant.parse("2026-12-03T12:00:00Z"));
        assertThat(message.getSubject()).isEqualTo("Your order ✓");
        assertThat(message.getHeader("Bcc")).isNull();
        assertThat(message.getHeader("X-Campaign", ",")).isEqualTo("winter");
        MimeMultipart mixed = (MimeMultipart) message.getContent();
        assertThat(mixed.getContentType()).startsWith("multipart/mixed");
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("plain");
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo("<p>rich</p>");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("a.txt");
        assertThat(new String(mixed.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("hello");
    }

    @Test
    void aPlainTextMessageIsASinglePart() throws Exception {
        MimeMessage message = compose("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"hi\"}");
        assertThat(message.getContentType()).startsWith("text/plain");
        assertThat(message.getContent()).isEqualTo("hi");
    }

    @Test
    void wrongFieldsAreNamed() {
        assertThatThrownBy(() -> compose("{\"to\": \"b@y.test\", \"text\": \"x\"}"))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("from:");
        assertThatThrownBy(() -> compose("{\"from\": \"a@x.test\", \"to\": [\"nope\"], \"text\": \"x\"}"))
                .hasMessageStartingWith("to[0]:");
        assertThatThrownBy(() -> compose("{\"from\": \"a@x.test\", \"to\": \"b@y.test\"}"))
                .hasMessageStartingWith("text:");
        assertThatThrownBy(() -> compose("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\", \"colour\": 1}"))
                .hasMessageStartingWith("colour:");
        assertThatThrownBy(() -> compose("""
                {"from": "a@x.test", "to": "b@y.test", "text": "x", "attachments": [{"name": "n", "content": "%%%"}]}
                """)).hasMessageStartingWith("attachments[0].content:");
        assertThatThrownBy(() -> compose("""
                {"from": "a@x.test", "to": "b@y.test", "text": "x", "headers": {"X-Evil": "a\\r\\nBcc: x@y.test"}}
                """)).hasMessageStartingWith("headers.X-Evil:");
    }

    @Test
    void placeholdersAreFilledAndMissingOnesBecomeEmpty() throws Exception {
        JsonMessage template = JsonMessage.from(json.readTree(
                "{\"from\": \"a@x.test\", \"subject\": \"Hi {{name}}\", \"text\": \"Code {{ code }}{{missing}}.\"}"),
                false);
        JsonMessage filled = template.personalised(Map.of("name", "Ann", "code", "$42"));
        assertThat(filled.subject()).isEqualTo("Hi Ann");
        assertThat(filled.text()).contains("Code $42.");
    }
}
