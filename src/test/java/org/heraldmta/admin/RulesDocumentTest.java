package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Reading the rules out of a configuration text and putting new ones in, leaving the rest alone. */
class RulesDocumentTest {

    private static final String FILE = """
            # Herald on the test machine
            hostname = "herald.test"   # the name in EHLO

            # SMTP comes first
            [smtp]
            listen = [
              "127.0.0.1:2525",
            ]

            # defaults for every domain
            [domains.default]
            max_connections = 3   # gentle
            delay_after_failure = ["1m", "5m"]

            [domains."example.test"]
            max_connections = 1

            # DNS next, kept
            [dns]
            servers = ["127.0.0.1:5353"]

            [mx."*.outlook.test"]
            max_connections = 4
            """;

    private static JsonNode json(String text) throws Exception {
        return AdminHarness.JSON.readTree(text);
    }

    @Test
    void theRulesAreReadAsTheyAreWritten() throws Exception {
        JsonNode rules = RulesDocument.rules(FILE);

        assertThat(rules.path("default").path("max_connections").asInt()).isEqualTo(3);
        assertThat(rules.path("default").path("delay_after_failure").get(1).asText()).isEqualTo("5m");
        assertThat(rules.path("domains").path("example.test").path("max_connections").asInt()).isEqualTo(1);
        assertThat(rules.path("domains").has("default")).isFalse();
        assertThat(rules.path("mx").path("*.outlook.test").path("max_connections").asInt()).isEqualTo(4);
    }

    @Test
    void newRulesReplaceTheOldTablesWhereTheFirstWasAndEverythingElseStaysByteForByte() throws Exception {
        String edited = RulesDocument.replaceRules(FILE, json("""
                {"default": {"max_connections": 2},
                 "domains": {"*.wild.test": {"delay_after_failure": ["30s"]}, "new.test": {"port": 2526}},
                 "mx": {}}"""));

        assertThat(edited).startsWith("""
                # Herald on the test machine
                hostname = "herald.test"   # the name in EHLO

                # SMTP comes first
                [smtp]
                listen = [
                  "127.0.0.1:2525",
                ]

                [domains.default]
                max_connections = 2
                """);
        assertThat(edited).contains("[domains.\"*.wild.test\"]").contains("[domains.\"new.test\"]\nport = 2526\n")
                .contains("# DNS next, kept\n[dns]\nservers = [\"127.0.0.1:5353\"]\n")
                .doesNotContain("# defaults for every domain").doesNotContain("example.test")
                .doesNotContain("outlook");
        assertThat(RulesDocument.rules(edited)).isEqualTo(json("""
                {"default": {"max_connections": 2},
                 "domains": {"*.wild.test": {"delay_after_failure": ["30s"]}, "new.test": {"port": 2526}},
                 "mx": {}}"""));
    }

    @Test
    void aFileWithoutRulesGetsThemAtTheEnd() throws Exception {
        String edited = RulesDocument.replaceRules("hostname = \"herald.test\"\n", json("""
                {"domains": {"a.test": {"max_connections": 1}}}"""));

        assertThat(edited).isEqualTo("hostname = \"herald.test\"\n\n[domains.\"a.test\"]\nmax_connections = 1\n\n");
    }

    @Test
    void rulesOfTheWrongShapeAreRefusedWithTheirName() {
        assertThatThrownBy(() -> RulesDocument.replaceRules(FILE, json("{\"domain\": {}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("domain: unknown part");
        assertThatThrownBy(() -> RulesDocument.replaceRules(FILE, json("{\"domains\": {\"a.test\": 3}}")))
                .hasMessageStartingWith("domains.a.test: must be a table");
        assertThatThrownBy(() -> RulesDocument.replaceRules(FILE, json("[1]")))
                .hasMessageContaining("must be an object");
    }

    @Test
    void rulesWrittenAsDottedKeysOutsideTheirTablesAreNotSilentlyDuplicated() {
        String dotted = "hostname = \"herald.test\"\ndomains.default.max_connections = 3\n";

        assertThatThrownBy(() -> RulesDocument.replaceRules(dotted, json("{\"default\": {\"port\": 2525}}")))
                .isInstanceOf(Exception.class);
    }
}
