package lib.swarm;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.cli.N0d3Exception;
import lib.secret.Secret;

/**
 * A Docker Swarm join token, {@code SWMTKN-1-<digest>-<secret>[-f]}, as swarmkit writes it
 * (ca/config.go, GenerateJoinToken): {@code <digest>} is the SHA-256 of the cluster's root CA
 * certificate (the PEM bytes of {@code swarm/certificates/swarm-root-ca.crt}) in base 36, left-padded
 * with zeros to 50 characters; {@code <secret>} is 128 random bits in base 36 padded to 25; "-f"
 * marks a FIPS cluster. The digest is public (it names the swarm); the whole token is a secret.
 *
 * @param secret the whole token, for the Engine API request body only
 * @param caDigest the cluster CA digest: identifies the swarm, safe to print
 */
public record JoinToken(Secret secret, String caDigest, boolean fips) {
    /** Length of a SHA-256 digest in base 36. */
    public static final int DIGEST_LENGTH = 50;

    public static final int SECRET_LENGTH = 25;
    private static final Pattern FORM = Pattern.compile("SWMTKN-1-([0-9a-z]{50})-([0-9a-z]{25})(-f)?");

    /**
     * Parses a token; a malformed one is a usage error naming where it came from and the expected
     * form, never showing the value.
     */
    public static JoinToken parse(Secret token) {
        Matcher m = FORM.matcher(token.reveal());
        if (!m.matches()) {
            throw N0d3Exception.usage("join token from " + token.source() + " is not a swarm join token (expected "
                    + "SWMTKN-1-<50 base-36 digest>-<25 base-36 secret> (as printed by 'docker swarm join-token -q worker'), "
                    + "got " + describe(token.reveal()) + ")");
        }
        return new JoinToken(token, m.group(1), m.group(3) != null);
    }

    /** The swarmkit digest of a root CA certificate: SHA-256 of the PEM bytes, base 36, zero-padded to 50. */
    public static String caDigest(String rootCaPem) {
        return caDigest(rootCaPem.getBytes(StandardCharsets.UTF_8));
    }

    public static String caDigest(byte[] rootCaPem) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(rootCaPem);
            String b36 = new BigInteger(1, sha).toString(36);
            return "0".repeat(DIGEST_LENGTH - b36.length()) + b36;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** A short form of the digest for messages (the first 12 characters, like a short image id). */
    public String shortDigest() {
        return caDigest.substring(0, 12);
    }

    /** What a wrong token looks like, without its value: length and prefix class only. */
    static String describe(String value) {
        String kind =
                value.startsWith("SWMTKN-") ? "a SWMTKN token of another form" : "text not starting with SWMTKN-1-";
        return kind + " (" + value.length() + " characters)";
    }

    @Override
    public String toString() {
        return "JoinToken(swarm " + shortDigest() + ", " + secret.source() + ")";
    }
}
