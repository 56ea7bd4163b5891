package org.heraldmta.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    @Test
    void quotedLocalPartsKeepTheirQuotesAndEscapes() {
        assertThat(Address.parse("\"a b>c\"@Example.TEST").toString()).isEqualTo("\"a b>c\"@example.test");
        assertThat(Address.parse("\"a\\\"b\"@x.test").localPart()).isEqualTo("\"a\\\"b\"");
        assertThat(Address.parse("\"back\\\\slash\"@x.test").localPart()).isEqualTo("\"back\\\\slash\"");
        assertThat(Address.parse("\"\"@x.test").localPart()).isEqualTo("\"\"");
    }

    /** Found by AddressFuzzTest: the last quote of "abc\"@x.test is escaped, so the local part never closes. */
    @ParameterizedTest
    @ValueSource(strings = {"\"abc\\\"@x.test", "\"a\"b\"@x.test", "\"@x.test", "\"a\\\"@x.test", "\"tab\\\t\"@x.test",
            "\"nul\u0000\"@x.test"})
    void aQuotedLocalPartWithAnUnescapedOrEscapedClosingQuoteIsRefused(String text) {
        assertThatThrownBy(() -> Address.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(".*(quoted local part|control character|'\\\\' must be followed).*");
    }

    @Test
    void dotAtomLocalPartsFollowTheRules() {
        assertThat(Address.parse("first.last+tag@x.test").localPart()).isEqualTo("first.last+tag");
        assertThatThrownBy(() -> Address.parse("a..b@x.test")).hasMessageContaining("misplaced dot");
        assertThatThrownBy(() -> Address.parse("a b@x.test")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> Address.parse("nobody")).hasMessageContaining("local-part@domain");
    }

    /** Found by AddressFuzzTest: an address literal could hold a CR, LF or '>' and so break an SMTP command line. */
    @ParameterizedTest
    @ValueSource(strings = {"u@[1\r7.0.0.1]", "u@[1.2.3.4]\r\nRSET\r\n[]", "u@[a b]", "u@[a[b]", "u@[]",
            "u@[10>.1]", "u@[1<2]"})
    void anAddressLiteralHoldsOnlyPrintableCharactersWithoutBrackets(String text) {
        assertThatThrownBy(() -> Address.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address literal");
    }

    @Test
    void addressLiteralsAreKept() {
        assertThat(Address.parse("u@[127.0.0.1]").domain().name()).isEqualTo("[127.0.0.1]");
        assertThat(Address.parse("u@[IPv6:::1]").domain().name()).isEqualTo("[ipv6:::1]");
    }
}
