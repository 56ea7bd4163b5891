package org.heraldmta.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A private key and its certificate chain (server certificate first), read from PEM: certificates as
 * {@code CERTIFICATE} blocks, the key as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or
 * SEC 1 EC ({@code EC PRIVATE KEY}), unencrypted.
 */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

    public KeyMaterial {
        Objects.requireNonNull(key);
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
    }

    /**
     * Reads the pair and checks that the key belongs to the first certificate.
     *
     * @throws IOException with the file and the reason when a file is missing, not PEM, encrypted or mismatched
     */
    public static KeyMaterial load(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        for (Object item : readPem(certificateFile)) {
            if (item instanceof X509CertificateHolder holder) {
                chain.add(toCertificate(certificateFile, holder));
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + ": no CERTIFICATE block found");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        ASN1ObjectIdentifier curve = null;
        for (Object item : readPem(keyFile)) {
            if (item instanceof ASN1ObjectIdentifier named) {
                curve = named; // an EC PARAMETERS block, as openssl ecparam -genkey writes before the key
                continue;
            }
            PrivateKey found = switch (item) {
                case PEMKeyPair pair -> converter.getPrivateKey(withCurve(pair.getPrivateKeyInfo(), curve));
                case PrivateKeyInfo info -> converter.getPrivateKey(withCurve(info, curve));
                case PEMEncryptedKeyPair encrypted -> throw new IOException(keyFile + ": the key is encrypted; "
                        + "Herald needs it unencrypted (openssl pkey -in KEY -out KEY.plain)");
                case PKCS8EncryptedPrivateKeyInfo encrypted -> throw new IOException(keyFile
                        + ": the key is encrypted; Herald needs it unencrypted (openssl pkey -in KEY -out KEY.plain)");
                default -> null; // certificates or EC PARAMETERS beside the key
            };
            if (found != null) {
                if (key != null) {
                    throw new IOException(keyFile + ": more than one private key");
                }
                key = found;
            }
        }
        if (key == null) {
            throw new IOException(keyFile + ": no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found");
        }
        if (!belongTogether(key, chain.get(0))) {
            throw new IOException(keyFile + ": the key does not belong to the certificate in " + certificateFile);
        }
        return new KeyMaterial(key, chain);
    }

    /** An SSL context presenting this chain, for servers. */
    public SSLContext serverContext() throws GeneralSecurityException {
        char[] password = "herald".toCharArray(); // only protects an in-memory store
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setKeyEntry("herald", key, password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    /** The chain as PEM text. */
    public String certificatesPem() throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(certificate);
            }
        }
        return text.toString();
    }

    /** The key as PKCS#8 PEM text ({@code PRIVATE KEY}). */
    public String keyPem() throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return text.toString();
    }

    /** An EC key that names no curve itself gets the one of the EC PARAMETERS block before it. */
    private static PrivateKeyInfo withCurve(PrivateKeyInfo info, ASN1ObjectIdentifier curve) throws IOException {
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        boolean noParameters = algorithm.getParameters() == null || algorithm.getParameters() instanceof ASN1Null;
        if (curve == null || !X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm()) || !noParameters) {
            return info;
        }
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
                info.parsePrivateKey());
    }

    private static List<Object> readPem(Path file) throws IOException {
        List<Object> items = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                items.add(item);
            }
        } catch (IOException e) {
            throw new IOException(file + ": not a readable PEM file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a valid PEM file: " + e.getMessage(), e);
        }
        return items;
    }

    private static X509Certificate toCertificate(Path file, X509CertificateHolder holder) throws IOException {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": unusable certificate: " + e.getMessage(), e);
        }
    }

    /** Signs a few bytes with the key and checks them with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // nothing to check with; the handshake will tell
        }
        try {
            byte[] probe = "herald key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
