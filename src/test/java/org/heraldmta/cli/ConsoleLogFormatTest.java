package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.heraldmta.config.LogFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ConsoleLogFormatTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Logger log = LoggerFactory.getLogger("org.heraldmta.example.Stage");

    @AfterEach
    void backToStandardOutput() {
        ConsoleLogFormat.use(LogFormat.PLAIN);
    }

    @Test
    void plainLinesAreForPeople() {
        ConsoleLogFormat.use(LogFormat.PLAIN, out);
        log.info("spool {}: {} message(s) recovered", "/var/spool", 3);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Stage: spool /var/spool: 3 message\\(s\\) recovered\\R");
    }

    @Test
    void jsonIsOneObjectPerLineWithTheMessageFilledIn() throws Exception {
        ConsoleLogFormat.use(LogFormat.JSON, out);
        log.warn("closing {} failed: {}", "spool", "disk gone\nsecond line");
        log.info("next");
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        assertThat(first.get("loggerName").asText()).isEqualTo("org.heraldmta.example.Stage");
        assertThat(first.get("formattedMessage").asText()).isEqualTo("closing spool failed: disk gone\nsecond line");
        assertThat(first.get("timestamp").asLong()).isPositive();
        assertThat(new ObjectMapper().readTree(lines[1]).get("formattedMessage").asText()).isEqualTo("next");
    }

    @Test
    void theVariableWinsOverTheFileAndAWrongValueIsNamed() {
        assertThat(ConsoleLogFormat.choose(Optional.empty(), LogFormat.JSON)).isEqualTo(LogFormat.JSON);
        assertThat(ConsoleLogFormat.choose(Optional.of("json"), LogFormat.PLAIN)).isEqualTo(LogFormat.JSON);
        assertThat(ConsoleLogFormat.choose(Optional.of(" Plain "), LogFormat.JSON)).isEqualTo(LogFormat.PLAIN);
        assertThatThrownBy(() -> ConsoleLogFormat.choose(Optional.of("xml"), LogFormat.PLAIN))
                .hasMessage("HERALD_LOG_FORMAT: must be plain or json, got \"xml\"");
    }
}
