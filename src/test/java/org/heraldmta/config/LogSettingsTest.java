package org.heraldmta.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

    private final ConfigLoader loader = new ConfigLoader("host.example.test", Path.of("/srv/herald"));

    private HeraldConfig parse(String toml) throws ConfigException {
        return loader.parse(Path.of("/srv/herald/herald.toml"), "herald.toml", toml);
    }

    @Test
    void withoutALogTablePlainLinesAndAHundredMegabyteWeekLongEventFilesTenKept() throws ConfigException {
        assertThat(parse("").log()).isEqualTo(new LogSettings(LogFormat.PLAIN, 100L * 1024 * 1024,
                Duration.ofDays(7), 10));
    }

    @Test
    void everyKeyIsRead() throws ConfigException {
        assertThat(parse("""
                [log]
                format = "json"
                events_max_size = "5MB"
                events_max_age = "1d"
                events_keep = 3
                """).log()).isEqualTo(new LogSettings(LogFormat.JSON, 5L * 1024 * 1024, Duration.ofDays(1), 3));
    }

    @Test
    void wrongValuesAreNamed() {
        assertThatThrownBy(() -> parse("[log]\nformat = \"xml\"\n"))
                .hasMessageContaining("herald.toml: log.format: must be \"plain\" or \"json\"");
        assertThatThrownBy(() -> parse("[log]\nevents_keep = 0\n")).hasMessageContaining("log.events_keep");
        assertThatThrownBy(() -> parse("[log]\nevents_max_age = \"0s\"\n"))
                .hasMessageContaining("log.events_max_age: must be longer than 0s");
        assertThatThrownBy(() -> parse("[log]\nrotate = true\n"))
                .hasMessageContaining("log.rotate: unknown key; allowed here: format, events_max_size");
    }
}
