package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.heraldmta.mail.SmtpReply;
import org.junit.jupiter.api.Test;

class ServerCapabilitiesTest {

    @Test
    void everyExtensionHeraldUsesIsReadFromTheEhloReply() {
        ServerCapabilities capabilities = ServerCapabilities.fromEhlo(SmtpReply.fromLines(250, List.of(
                "mx.example.test hello", "pipelining", "SIZE 35882577", "8BITMIME", "SMTPUTF8", "STARTTLS",
                "AUTH PLAIN LOGIN", "AUTH=CRAM-MD5", "ENHANCEDSTATUSCODES")));

        assertThat(capabilities.pipelining()).isTrue();
        assertThat(capabilities.sizeLimit()).hasValue(35882577);
        assertThat(capabilities.eightBitMime()).isTrue();
        assertThat(capabilities.smtpUtf8()).isTrue();
        assertThat(capabilities.startTls()).isTrue();
        assertThat(capabilities.authMechanisms()).containsExactlyInAnyOrder("PLAIN", "LOGIN", "CRAM-MD5");
    }

    @Test
    void sizeWithoutALimitLimitsNothing() {
        ServerCapabilities capabilities = ServerCapabilities.fromEhlo(SmtpReply.fromLines(250,
                List.of("mx", "SIZE")));

        assertThat(capabilities.sizeLimit()).hasValue(0);
        assertThat(capabilities.tooBig(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aBareGreetingOffersNothing() {
        ServerCapabilities capabilities = ServerCapabilities.fromEhlo(SmtpReply.fromLines(250, List.of("mx")));

        assertThat(capabilities.pipelining() || capabilities.startTls() || capabilities.sizeLimit().isPresent())
                .isFalse();
    }
}
