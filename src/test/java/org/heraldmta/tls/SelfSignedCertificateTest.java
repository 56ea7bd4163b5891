package org.heraldmta.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.heraldmta.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void firstStartMakesAnOwnerOnlyKeyAndACertificateNamingTheHost() throws Exception {
        CertificateFiles files = SelfSignedCertificate.ensure(dir.resolve("tls"), "mx.herald.test",
                InstantSource.fixed(NOW));

        assertThat(files.certificate()).isEqualTo(dir.resolve("tls/self-signed.crt"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key()))).isEqualTo("rw-------");
        KeyMaterial material = KeyMaterial.load(files.certificate(), files.key());
        X509Certificate certificate = material.chain().get(0);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=mx.herald.test");
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, "mx.herald.test"));
        assertThat(certificate.getNotBefore().toInstant()).isBefore(NOW);
        assertThat(certificate.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(3000)));
        assertThat(material.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void laterStartsKeepTheSameCertificate() throws Exception {
        Path tls = dir.resolve("tls");
        CertificateFiles first = SelfSignedCertificate.ensure(tls, "mx.herald.test", InstantSource.fixed(NOW));
        String pem = Files.readString(first.certificate());

        SelfSignedCertificate.ensure(tls, "mx.herald.test", InstantSource.fixed(NOW.plus(Duration.ofDays(400))));

        assertThat(Files.readString(first.certificate())).isEqualTo(pem);
    }

    @Test
    void aNewHostNameOrANearEndMakesANewCertificate() throws Exception {
        Path tls = dir.resolve("tls");
        CertificateFiles files = SelfSignedCertificate.ensure(tls, "mx.herald.test", InstantSource.fixed(NOW));
        X509Certificate first = TestCertificates.read(files.certificate());

        SelfSignedCertificate.ensure(tls, "mail.herald.test", InstantSource.fixed(NOW));
        X509Certificate renamed = TestCertificates.read(files.certificate());
        assertThat(renamed.getSubjectAlternativeNames()).containsExactly(List.of(2, "mail.herald.test"));

        SelfSignedCertificate.ensure(tls, "mail.herald.test",
                InstantSource.fixed(renamed.getNotAfter().toInstant().minus(Duration.ofDays(10))));
        X509Certificate renewed = TestCertificates.read(files.certificate());
        assertThat(renewed.getSerialNumber()).isNotIn(first.getSerialNumber(), renamed.getSerialNumber());
    }

    @Test
    void aDamagedKeyIsReplaced() throws Exception {
        Path tls = dir.resolve("tls");
        CertificateFiles files = SelfSignedCertificate.ensure(tls, "mx.herald.test", InstantSource.fixed(NOW));
        Files.writeString(files.key(), "damaged");

        SelfSignedCertificate.ensure(tls, "mx.herald.test", InstantSource.fixed(NOW));

        assertThat(KeyMaterial.load(files.certificate(), files.key()).chain()).hasSize(1);
    }
}
