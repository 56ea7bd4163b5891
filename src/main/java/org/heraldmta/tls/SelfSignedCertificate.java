package org.heraldmta.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate Herald uses when none is configured: an EC P-256 key and a self-signed certificate naming the host
 * name (subject CN and DNS subject alternative name), valid for ten years, kept as PEM files so that clients that
 * pinned it keep seeing the same one after a restart. Mail servers that deliver to Herald use opportunistic TLS
 * and accept it (RFC 7435); clients that check certificates need a real one in {@code [tls]}.
 */
public final class SelfSignedCertificate {

    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);

    static final String CERTIFICATE_FILE = "self-signed.crt";
    static final String KEY_FILE = "self-signed.key";
    private static final Duration VALIDITY = Duration.ofDays(3650);
    /** A certificate this close to its end is replaced at the next start. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private SelfSignedCertificate() {
    }

    /**
     * The files of a usable self-signed certificate for {@code hostname} in {@code dir}: the existing ones when
     * they name the host and stay valid for a while yet, else new ones.
     */
    public static CertificateFiles ensure(Path dir, String hostname, InstantSource clock) throws IOException {
        CertificateFiles files = new CertificateFiles(dir.resolve(CERTIFICATE_FILE), dir.resolve(KEY_FILE));
        Instant now = clock.instant();
        if (Files.exists(files.certificate()) && Files.exists(files.key())) {
            try {
                X509Certificate existing = KeyMaterial.load(files.certificate(), files.key()).chain().get(0);
                if (names(existing).contains(hostname.toLowerCase(Locale.ROOT))
                        && existing.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))) {
                    return files;
                }
                log.info("self-signed certificate in {} is for another name or about to expire; making a new one", dir);
            } catch (IOException e) {
                log.warn("self-signed certificate in {} is unusable ({}); making a new one", dir, e.getMessage());
            }
        }
        KeyMaterial material = generate(hostname, now);
        Files.createDirectories(dir);
        writeOwnerOnly(files.key(), material.keyPem());
        writeOwnerOnly(files.certificate(), material.certificatesPem());
        log.info("made a self-signed TLS certificate for {} in {}", hostname, dir);
        return files;
    }

    /** A new key and self-signed certificate for {@code hostname}, valid from a day before {@code now}. */
    public static KeyMaterial generate(String hostname, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
            BigInteger serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new KeyMaterial(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static List<String> names(X509Certificate certificate) throws IOException {
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives == null) {
                return List.of();
            }
            return alternatives.stream().filter(entry -> Integer.valueOf(GeneralName.dNSName).equals(entry.get(0)))
                    .map(entry -> entry.get(1).toString().toLowerCase(Locale.ROOT)).toList();
        } catch (CertificateParsingException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temp);
        }
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
