package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.heraldmta.mail.SmtpReply;
import org.junit.jupiter.api.Test;

class ReplyClassifierTest {

    @Test
    void anyPermanentRejectionOfTheGreetingBlamesTheSender() {
        assertThat(ReplyClassifier.blamesSender(Step.GREETING, SmtpReply.of(554, "go away"))).isTrue();
    }

    @Test
    void securityStatusesAndBlockListWordsBlameTheSender() {
        assertThat(ReplyClassifier.blamesSender(Step.RCPT, SmtpReply.of(550, "5.7.1", "rejected"))).isTrue();
        assertThat(ReplyClassifier.blamesSender(Step.DATA, SmtpReply.of(550, "listed at zen.spamhaus.org")))
                .isTrue();
        assertThat(ReplyClassifier.blamesSender(Step.RCPT, SmtpReply.of(550, "5.5.0", "IP on our blocklist")))
                .isTrue();
        assertThat(ReplyClassifier.blamesSender(Step.MAIL, SmtpReply.of(550, "bad reputation"))).isTrue();
    }

    @Test
    void anUnknownUserDoesNotBlameTheSender() {
        assertThat(ReplyClassifier.blamesSender(Step.RCPT, SmtpReply.of(550, "5.1.1", "no such user"))).isFalse();
    }

    @Test
    void aTemporaryFailureNeverBlamesTheSender() {
        assertThat(ReplyClassifier.blamesSender(Step.GREETING, SmtpReply.of(421, "4.7.1", "blocklisted")))
                .isFalse();
    }

    @Test
    void slowDownSignalsAreRecognised() {
        assertThat(ReplyClassifier.asksToSlowDown(SmtpReply.of(421, "closing"))).isTrue();
        assertThat(ReplyClassifier.asksToSlowDown(SmtpReply.of(450, "4.7.0", "later"))).isTrue();
        assertThat(ReplyClassifier.asksToSlowDown(SmtpReply.of(451, "rate limit exceeded"))).isTrue();
        assertThat(ReplyClassifier.asksToSlowDown(SmtpReply.of(452, "4.5.3", "too many recipients"))).isTrue();
    }

    @Test
    void greylistingIsNotASlowDownSignal() {
        assertThat(ReplyClassifier.asksToSlowDown(SmtpReply.of(451, "4.7.1", "greylisted"))).isFalse();
        assertThat(ReplyClassifier.asksToSlowDown(SmtpReply.of(550, "too many"))).isFalse();
    }
}
