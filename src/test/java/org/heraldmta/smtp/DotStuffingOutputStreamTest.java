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
    void writingInPiecesOfAnySizeGivesWhatWritingByteByByteGives() throws IOException {
        java.util.Random random = new java.util.Random(3);
        String alphabet = "ab.\r\n..\r\n";
        for (int round = 0; round < 2000; round++) {
            byte[] content = new byte[random.nextInt(80)];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            ByteArrayOutputStream byByte = new ByteArrayOutputStream();
            DotStuffingOutputStream one = new DotStuffingOutputStream(byByte);
            for (byte b : content) {
                one.write(b);
            }
            one.finish();
            ByteArrayOutputStream inPieces = new ByteArrayOutputStream();
            DotStuffingOutputStream pieces = new DotStuffingOutputStream(inPieces);
            for (int at = 0; at < content.length; ) {
                int length = Math.min(content.length - at, random.nextInt(12));
                pieces.write(content, at, length);
                at += length;
            }
            pieces.finish();
            assertThat(inPieces.toByteArray()).isEqualTo(byByte.toByteArray());
            assertThat(pieces.contentBytes()).isEqualTo(one.contentBytes()).isEqualTo(content.length);
        }
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
