package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.heraldmta.smtpd.PathArgument.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathArgumentTest {

    @Test
    void pathAndParametersAreSplitAndKeywordsUpperCased() {
        PathArgument parsed = PathArgument.parse("from:<a@example.test> size=100 Body=8BITMIME smtputf8", "FROM");
        assertThat(parsed.path()).isEqualTo("a@example.test");
        assertThat(parsed.parameters()).containsExactly(
                new Parameter("SIZE", Optional.of("100")),
                new Parameter("BODY", Optional.of("8BITMIME")),
                new Parameter("SMTPUTF8", Optional.empty()));
    }

    @Test
    void spaceAfterColonNullPathQuotedLocalPartAndSourceRouteAreUnderstood() {
        assertThat(PathArgument.parse("FROM: <>", "FROM").path()).isEmpty();
        assertThat(PathArgument.parse("TO:<\"a >b\"@example.test>", "TO").path()).isEqualTo("\"a >b\"@example.test");
        assertThat(PathArgument.parse("TO:<@relay.test,@other.test:u@example.test>", "TO"))
                .isEqualTo(new PathArgument("u@example.test", List.of()));
        assertThat(PathArgument.parse("TO:<@[127.0.0.1],@[IPv6:::1]:u@example.test>", "TO").path())
                .isEqualTo("u@example.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@example.test", "FROM a@example.test", "TO:<a@example.test>", "FROM:<a@example.test",
            "FROM:<a@example.test>SIZE=1", "FROM:<a<b@example.test>", "FROM:<a@example.test> =1",
            "FROM:<@relay.test:@other.test>", "FROM:<@relay.test:>", "TO:<@relay\"a:<b>c\"@x.test>",
            "TO:<@a b:u@x.test>"})
    void malformedArgumentsAreRefused(String argument) {
        assertThatThrownBy(() -> PathArgument.parse(argument, "FROM")).isInstanceOf(IllegalArgumentException.class);
    }
}
