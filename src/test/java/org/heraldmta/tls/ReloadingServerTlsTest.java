package org.heraldmta.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.heraldmta.config.TlsSettings;
import org.heraldmta.testkit.TestCertificates;
import org.heraldmta.testkit.TestCertificates.KeyFormat;
import org.heraldmta.testkit.TestCertificates.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingServerTlsTest {

    @TempDir
    Path dir;

    @Test
    void aReplacedPairIsUsedAndAnUnusableOneIsNot() throws Exception {
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Pair first = TestCertificates.selfSigned(TestCertificates.ec(), "mx.herald.test");
        TestCertificates.write(first, KeyFormat.PKCS8, certificate, key);
        ReloadingServerTls tls = new ReloadingServerTls(new CertificateFiles(certificate, key));
        assertThat(tls.certificate()).isEqualTo(first.certificate());

        Pair second = TestCertificates.selfSigned(TestCertificates.rsa(), "mx.herald.test");
        TestCertificates.write(second, KeyFormat.TRADITIONAL, certificate, key);
        assertThat(tls.certificate()).isEqualTo(second.certificate());

        // A certificate whose key has not been copied yet: keep serving the last good pair.
        Pair third = TestCertificates.selfSigned(TestCertificates.ec(), "mx.herald.test");
        Files.writeString(certificate, TestCertificates.certificatePem(third.certificate()));
        assertThat(tls.certificate()).isEqualTo(second.certificate());

        Files.writeString(key, TestCertificates.keyPem(third.keys().getPrivate(), KeyFormat.PKCS8));
        assertThat(tls.certificate()).isEqualTo(third.certificate());
    }

    @Test
    void aBadPairStopsTheStart() throws Exception {
        Path certificate = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key");
        assertThatThrownBy(() -> new ReloadingServerTls(new CertificateFiles(certificate, key)))
                .hasMessageContaining("cert.pem");
    }

    @Test
    void withoutConfiguredFilesASelfSignedCertificateIsMadeInTheGivenDirectory() throws Exception {
        ReloadingServerTls tls = ReloadingServerTls.forSettings(TlsSettings.SELF_SIGNED, dir.resolve("tls"),
                "mx.herald.test", InstantSource.fixed(Instant.parse("2026-01-10T12:00:00Z")));
        assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=mx.herald.test");
        assertThat(dir.resolve("tls/self-signed.key")).exists();

        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Pair configured = TestCertificates.selfSigned(TestCertificates.ec(), "mail.herald.test");
        TestCertificates.write(configured, KeyFormat.PKCS8, certificate, key);
        ReloadingServerTls fromFiles = ReloadingServerTls.forSettings(
                new TlsSettings(Optional.of(certificate), Optional.of(key)), dir.resolve("unused"), "mx.herald.test",
                InstantSource.system());
        assertThat(fromFiles.certificate()).isEqualTo(configured.certificate());
        assertThat(dir.resolve("unused")).doesNotExist();
    }
}
