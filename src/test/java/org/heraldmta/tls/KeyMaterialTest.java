package org.heraldmta.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.heraldmta.testkit.TestCertificates;
import org.heraldmta.testkit.TestCertificates.KeyFormat;
import org.heraldmta.testkit.TestCertificates.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyMaterialTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} key as {1}")
    @CsvSource({"RSA, PKCS8, BEGIN PRIVATE KEY", "RSA, TRADITIONAL, BEGIN RSA PRIVATE KEY",
            "EC, PKCS8, BEGIN PRIVATE KEY", "EC, TRADITIONAL, BEGIN EC PRIVATE KEY",
            "EC, EC_PARAMETERS_BLOCK_ONLY, BEGIN EC PARAMETERS"})
    void readsRsaAndEcKeysInPkcs8AndTraditionalPem(String algorithm, KeyFormat format, String header)
            throws Exception {
        KeyPair keys = algorithm.equals("RSA") ? TestCertificates.rsa() : TestCertificates.ec();
        Pair pair = TestCertificates.selfSigned(keys, "mx.herald.test");
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificates.write(pair, format, certificate, key);
        assertThat(Files.readString(key)).contains(header);

        KeyMaterial material = KeyMaterial.load(certificate, key);

        assertThat(material.key().getAlgorithm()).isEqualTo(algorithm);
        assertThat(material.chain()).containsExactly(pair.certificate());
        assertThat(material.serverContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void keepsTheChainInOrderAndAcceptsTheKeyInTheSameFile() throws Exception {
        Pair server = TestCertificates.selfSigned(TestCertificates.ec(), "mx.herald.test");
        Pair intermediate = TestCertificates.selfSigned(TestCertificates.ec(), "ca.herald.test");
        Path combined = Files.writeString(dir.resolve("combined.pem"),
                TestCertificates.certificatePem(server.certificate(), intermediate.certificate())
                        + TestCertificates.keyPem(server.keys().getPrivate(), KeyFormat.PKCS8));

        KeyMaterial material = KeyMaterial.load(combined, combined);

        assertThat(material.chain()).containsExactly(server.certificate(), intermediate.certificate());
        assertThat(material.certificatesPem()).contains("BEGIN CERTIFICATE");
        assertThat(material.keyPem()).contains("BEGIN PRIVATE KEY");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
        Pair one = TestCertificates.selfSigned(TestCertificates.ec(), "mx.herald.test");
        Pair other = TestCertificates.selfSigned(TestCertificates.ec(), "mx.herald.test");
        Path certificate = Files.writeString(dir.resolve("cert.pem"), TestCertificates.certificatePem(one.certificate()));
        Path key = Files.writeString(dir.resolve("key.pem"),
                TestCertificates.keyPem(other.keys().getPrivate(), KeyFormat.PKCS8));

        assertThatThrownBy(() -> KeyMaterial.load(certificate, key)).isInstanceOf(IOException.class)
                .hasMessageContaining("key.pem: the key does not belong to the certificate in")
                .hasMessageContaining("cert.pem");
    }

    @Test
    void anEncryptedKeyIsRefusedWithAHint() throws Exception {
        Pair pair = TestCertificates.selfSigned(TestCertificates.rsa(), "mx.herald.test");
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificates.write(pair, KeyFormat.ENCRYPTED, certificate, key);

        assertThatThrownBy(() -> KeyMaterial.load(certificate, key))
                .hasMessageContaining("key.pem: the key is encrypted");
    }

    @Test
    void filesWithoutTheExpectedBlocksAreRefused() throws Exception {
        Pair pair = TestCertificates.selfSigned(TestCertificates.ec(), "mx.herald.test");
        Path certificate = Files.writeString(dir.resolve("cert.pem"), TestCertificates.certificatePem(pair.certificate()));
        Path key = Files.writeString(dir.resolve("key.pem"), TestCertificates.keyPem(pair.keys().getPrivate(), KeyFormat.PKCS8));
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> KeyMaterial.load(empty, key)).hasMessageContaining("empty.pem: no CERTIFICATE block");
        assertThatThrownBy(() -> KeyMaterial.load(certificate, certificate))
                .hasMessageContaining("cert.pem: no PRIVATE KEY");
        assertThatThrownBy(() -> KeyMaterial.load(garbage, key)).hasMessageContaining("garbage.pem");
        assertThatThrownBy(() -> KeyMaterial.load(dir.resolve("missing.pem"), key))
                .hasMessageContaining("missing.pem");
    }
}
