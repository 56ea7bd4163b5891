package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.api.Test;

class TraceFieldsTest {

    private static final QueueId ID = QueueId.parse("0123456789ABCDEF");

    @Test
    void protocolNamesFollowRfc3848AndRfc6531() {
        assertThat(TraceFields.protocol(false, false, false, false)).isEqualTo("SMTP");
        assertThat(TraceFields.protocol(true, false, false, false)).isEqualTo("ESMTP");
        assertThat(TraceFields.protocol(true, true, false, false)).isEqualTo("ESMTPS");
        assertThat(TraceFields.protocol(true, false, true, false)).isEqualTo("ESMTPA");
        assertThat(TraceFields.protocol(true, true, true, false)).isEqualTo("ESMTPSA");
        assertThat(TraceFields.protocol(true, false, false, true)).isEqualTo("UTF8SMTP");
        assertThat(TraceFields.protocol(true, true, true, true)).isEqualTo("UTF8SMTPSA");
    }

    @Test
    void ipv6ClientIsWrittenAsAnIpv6AddressLiteral() {
        assertThat(TraceFields.addressLiteral(IpLiterals.parse("::1"))).isEqualTo("[IPv6:0:0:0:0:0:0:0:1]");
        assertThat(TraceFields.addressLiteral(IpLiterals.parse("192.0.2.7"))).isEqualTo("[192.0.2.7]");
    }

    @Test
    void heloNameCannotBreakTheReceivedField() {
        String field = TraceFields.received("evil)\u00e9(name", IpLiterals.parse("192.0.2.7"), "mx.herald.test",
                "ESMTP", ID, List.of(Address.parse("b@example.test")), Instant.parse("2025-01-05T01:02:03Z"));
        assertThat(field).isEqualTo("Received: from evil???name ([192.0.2.7])\r\n"
                + "\tby mx.herald.test (Herald) with ESMTP id 0123456789ABCDEF\r\n"
                + "\tfor <b@example.test>; Sun, 5 Jan 2025 01:02:03 +0000\r\n");
    }
}
