package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {

    private static String stuff(String content) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(wire);
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.finish();
        return wire.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLineStartingWithADotGetsASecondOne() throws IOException {
        assertThat(stuff(".a\r\nb.\r\n..c\r\n")).isEqualTo("..a\r\nb.\r\n...c\r\n.\r\n");
    }

    @Test
    void aLoneDotLineCannotEndTheMessageEarly() throws IOException {
        assertThat(stuff("a\r\n.\r\nb\r\n")).isEqualTo("a\r\n..\r\nb\r\n.\r\n");
    }

    @Test
    void bareLineFeedsAndCarriageReturnsBecomeCrlfSoNoSmugglingSequenceSurvives() throws IOException {
        assertThat(stuff("a\n.\nb\r.\rc\r\n")).isEqualTo("a\r\n..\r\nb\r\n..\r\nc\r\n.\r\n");
    }

    @Test
    void contentWithoutAFinalLineEndGetsOne() throws IOException {
        assertThat(stuff("no end")).isEqualTo("no end\r\n.\r\n");
        assertThat(stuff("ends in cr\r")).isEqualTo("ends in cr\r\n.\r\n");
    }

    @Test
    void emptyContentIsJustTheDot() throws IOException {
        assertThat(stuff("")).isEqualTo(".\r\n");
    }
}
