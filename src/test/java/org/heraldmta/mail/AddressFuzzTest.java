package org.heraldmta.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the address parser: an address either parses into one that reads back the same from
 * its written form (parse, format, parse is stable) and can be put between angle brackets on an SMTP command line,
 * or is refused with an {@link IllegalArgumentException} whose message can go into a reply.
 */
class AddressFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anAddressParsesIntoOneThatReadsBackTheSameOrIsRefusedWithAReason(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Address address;
        try {
            address = Address.parse(text);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        String written = address.toString();
        assertThat(Address.parse(written)).isEqualTo(address);
        assertThat(written).doesNotContain("\r", "\n", "\0").doesNotStartWith("<").hasSizeLessThanOrEqualTo(
                Address.MAX_LENGTH);
        assertThat(written.indexOf('>')).as("a '>' only inside a quoted local part")
                .isLessThan(address.localPart().startsWith("\"") ? address.localPart().length() : 0);
        assertThat(Domain.of(address.domain().name())).isEqualTo(address.domain());
        assertQuotedLocalPartIsWellFormed(address.localPart());
    }

    /** RFC 5321 §4.1.2: inside quotes, '"' and '\' appear only escaped, so the quotes end where they seem to. */
    private static void assertQuotedLocalPartIsWellFormed(String local) {
        if (!local.startsWith("\"")) {
            return;
        }
        int i = 1;
        while (i < local.length() - 1) {
            char c = local.charAt(i);
            assertThat(c).as("unescaped quote inside a quoted local part: " + local).isNotEqualTo('"');
            i += c == '\\' ? 2 : 1;
        }
        assertThat(i).as("the closing quote of " + local + " is escaped").isEqualTo(local.length() - 1);
    }
}
