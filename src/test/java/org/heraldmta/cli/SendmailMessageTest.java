package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendmailMessageTest {

    private static SendmailMessage read(String input, boolean dotEnds, boolean fromHeaders) throws Exception {
        return SendmailMessage.read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), dotEnds,
                fromHeaders, "cron@host.test");
    }

    @Test
    void recipientsComeFromToCcAndBccAndBccIsRemoved() throws Exception {
        SendmailMessage message = read("""
                To: "Ann" <ann@a.test>, bob@b.test
                Cc: carol@c.test
                Bcc: secret@d.test,
                 hidden@e.test
                Subject: hi

                body
                """, true, true);
        assertThat(message.headerRecipients())
                .containsExactly("ann@a.test", "bob@b.test", "carol@c.test", "secret@d.test", "hidden@e.test");
        String text = new String(message.content(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContainIgnoringCase("bcc").doesNotContain("hidden@e.test");
        assertThat(text).isEqualTo("From: cron@host.test\r\nTo: \"Ann\" <ann@a.test>, bob@b.test\r\n"
                + "Cc: carol@c.test\r\nSubject: hi\r\n\r\nbody\r\n");
    }

    @Test
    void withoutMinusTHeadersGiveNoRecipients() throws Exception {
        assertThat(read("To: ann@a.test\n\nx\n", true, false).headerRecipients()).isEmpty();
    }

    @Test
    void aLoneDotEndsTheInputUnlessMinusI() throws Exception {
        String input = "Subject: s\n\nline one\n.\nafter the dot\n";
        assertThat(new String(read(input, true, false).content(), StandardCharsets.UTF_8))
                .endsWith("line one\r\n").doesNotContain("after the dot");
        assertThat(new String(read(input, false, false).content(), StandardCharsets.UTF_8))
                .endsWith("line one\r\n.\r\nafter the dot\r\n");
    }

    @Test
    void anExistingFromIsKeptAndLineEndsBecomeCrlf() throws Exception {
        SendmailMessage message = read("From: app@x.test\r\nSubject: s\n\na\rb\n", true, false);
        assertThat(new String(message.content(), StandardCharsets.UTF_8))
                .isEqualTo("From: app@x.test\r\nSubject: s\r\n\r\na\r\nb\r\n");
    }

    @Test
    void argumentsFollowTheSendmailConventions() {
        SendmailArguments args = SendmailArguments.parse(List.of("-t", "-oi", "-odi", "-oem", "-fbounce@x.test",
                "-F", "Cron Daemon", "--", "-odd@x.test"));
        assertThat(args.recipientsFromHeaders()).isTrue();
        assertThat(args.dotEndsInput()).isFalse();
        assertThat(args.sender()).contains("bounce@x.test");
        assertThat(args.fullName()).contains("Cron Daemon");
        assertThat(args.recipients()).containsExactly("-odd@x.test");
        assertThat(SendmailArguments.parse(List.of("-f", "a@x.test", "b@y.test")).recipients()).containsExactly("b@y.test");
    }

    @Test
    void unsupportedModesAndMissingValuesAreRefused() {
        assertThatThrownBy(() -> SendmailArguments.parse(List.of("-bs"))).hasMessageContaining("-bs");
        assertThatThrownBy(() -> SendmailArguments.parse(List.of("-f"))).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> SendmailArguments.parse(List.of("-Z"))).hasMessageContaining("unknown option");
    }

    @Test
    void dotStuffingDoublesLeadingDots() {
        assertThat(new String(LocalSubmission.dotStuffed(".a\r\nb\r\n..c\r\n".getBytes()), StandardCharsets.US_ASCII))
                .isEqualTo("..a\r\nb\r\n...c\r\n");
    }
}
