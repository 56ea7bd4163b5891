package org.heraldmta.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.util.Arrays;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), as
 * libargon2 and most other tools write them. The cost is stored with each hash, so raising it later does not break
 * old entries. Thread safe.
 */
public final class PasswordHasher {

    /**
     * Argon2 cost parameters.
     *
     * @param memoryKiB   memory per hash in KiB
     * @param iterations  passes over that memory
     * @param parallelism lanes
     */
    public record Cost(int memoryKiB, int iterations, int parallelism) {

        /** OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): about 0.2 s on one core. */
        public static final Cost DEFAULT = new Cost(19 * 1024, 2, 1);

        /** Cheap enough for tests; never for real passwords. */
        public static final Cost FOR_TESTS = new Cost(64, 1, 1);

        public Cost {
            if (parallelism < 1 || parallelism > 16 || iterations < 1 || iterations > 100
                    || memoryKiB < 8 * parallelism || memoryKiB > 1024 * 1024) {
                throw new IllegalArgumentException("Argon2 cost out of range: m=" + memoryKiB + ", t=" + iterations
                        + ", p=" + parallelism);
            }
        }
    }

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{16,172})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Cost cost;
    private final SecureRandom random = new SecureRandom();

    public PasswordHasher(Cost cost) {
        this.cost = cost;
    }

    public PasswordHasher() {
        this(Cost.DEFAULT);
    }

    public Cost cost() {
        return cost;
    }

    /** A new hash of {@code password} (UTF-8 bytes) with a fresh random salt. */
    public String hash(byte[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, cost, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** True when {@code encoded} is a hash this class can check. */
    public static boolean isValidHash(String encoded) {
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            return false;
        }
        try {
            parseCost(m);
            Base64.getDecoder().decode(m.group(4));
            Base64.getDecoder().decode(m.group(5));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Checks a password against a stored hash in constant time; false for a malformed hash. */
    public boolean verify(byte[] password, String encoded) {
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            return false;
        }
        try {
            Cost stored = parseCost(m);
            byte[] salt = Base64.getDecoder().decode(m.group(4));
            byte[] expected = Base64.getDecoder().decode(m.group(5));
            byte[] actual = argon2(password, salt, stored, expected.length);
            return Arrays.constantTimeAreEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Cost parseCost(Matcher m) {
        return new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    private static byte[] argon2(byte[] password, byte[] salt, Cost cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKiB())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
