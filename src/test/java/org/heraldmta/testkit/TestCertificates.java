package org.heraldmta.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys, self-signed certificates, PEM files in each key format, and client trust for TLS tests. */
public final class TestCertificates {

    /** How a private key is written to PEM. */
    public enum KeyFormat {
        /** {@code -----BEGIN PRIVATE KEY-----} */
        PKCS8,
        /**
         * {@code -----BEGIN RSA PRIVATE KEY-----} (PKCS#1), or for EC as {@code openssl ecparam -genkey} writes it:
         * {@code -----BEGIN EC PARAMETERS-----} then {@code -----BEGIN EC PRIVATE KEY-----} (SEC 1, curve inside)
         */
        TRADITIONAL,
        /** EC only: the EC PARAMETERS block, then a SEC 1 key that does not name its curve itself */
        EC_PARAMETERS_BLOCK_ONLY,
        /** OpenSSL's encrypted traditional form ({@code Proc-Type: 4,ENCRYPTED}) */
        ENCRYPTED
    }

    /** A key pair and a certificate for it. */
    public record Pair(KeyPair keys, X509Certificate certificate) {
    }

    private static final ASN1ObjectIdentifier P256 = X9ObjectIdentifiers.prime256v1;

    private TestCertificates() {
    }

    public static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    public static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A self-signed certificate for {@code hostname} (CN and DNS name), valid from yesterday for a year. */
    public static Pair selfSigned(KeyPair keys, String hostname) throws Exception {
        X500Name name = new X500Name("CN=" + hostname);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(62, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
        String algorithm = keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
        return new Pair(keys, certificate);
    }

    public static String certificatePem(X509Certificate... chain) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(certificate);
            }
        }
        return text.toString();
    }

    public static String keyPem(PrivateKey key, KeyFormat format) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            switch (format) {
                case PKCS8 -> writer.writeObject(new JcaPKCS8Generator(key, null));
                case TRADITIONAL -> {
                    if (key instanceof ECPrivateKey ec) {
                        writer.writeObject(new PemObject("EC PARAMETERS", P256.getEncoded()));
                        writer.writeObject(new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(
                                256, ec.getS(), new X962Parameters(P256)).getEncoded()));
                    } else {
                        writer.writeObject(key);
                    }
                }
                case EC_PARAMETERS_BLOCK_ONLY -> {
                    writer.writeObject(new PemObject("EC PARAMETERS", P256.getEncoded()));
                    writer.writeObject(new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(
                            256, ((ECPrivateKey) key).getS()).getEncoded()));
                }
                case ENCRYPTED -> writer.writeObject(key, new JcePEMEncryptorBuilder("AES-128-CBC")
                        .setProvider(new BouncyCastleProvider()).build("secret".toCharArray()));
            }
        }
        return text.toString();
    }

    /** Writes the pair as {@code certificate} and {@code key} PEM files. */
    public static void write(Pair pair, KeyFormat format, Path certificate, Path key) throws IOException {
        Files.writeString(certificate, certificatePem(pair.certificate()), StandardCharsets.US_ASCII);
        Files.writeString(key, keyPem(pair.keys().getPrivate(), format), StandardCharsets.US_ASCII);
    }

    /** A client context that trusts exactly these certificates. */
    public static SSLContext trusting(X509Certificate... certificates) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            store.setCertificateEntry("trusted-" + i, certificates[i]);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** Reads the first certificate of a PEM file. */
    public static X509Certificate read(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }
}
