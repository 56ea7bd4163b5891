package org.heraldmta.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the configuration loader: any text either loads or is refused with a
 * {@link ConfigException} that names the file, never with another exception, and a file that loads once loads
 * the same again.
 */
class ConfigLoaderFuzzTest {

    private static final Path FILE = Path.of("/nonexistent/herald-fuzz/herald.toml");

    private final ConfigLoader loader = new ConfigLoader("fuzz.example.test", Path.of("/nonexistent/herald-fuzz"),
            name -> name.equals("RELAY_PASSWORD") ? "secret" : null);

    @FuzzTest(maxDuration = "10s")
    void anyTextLoadsOrIsRefusedWithAMessageNamingTheFile(byte[] bytes) {
        String toml = new String(bytes, StandardCharsets.UTF_8);
        HeraldConfig config;
        try {
            config = loader.parse(FILE, "herald.toml", toml);
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).startsWith("herald.toml");
            return;
        }
        try {
            assertThat(loader.parse(FILE, "herald.toml", toml)).usingRecursiveComparison().isEqualTo(config);
        } catch (ConfigException e) {
            throw new AssertionError("loaded once, refused the second time: " + e.getMessage(), e);
        }
    }
}
