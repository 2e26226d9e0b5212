package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import lib.cli.N0d3Exception;
import lib.secret.Secret;
import org.junit.jupiter.api.Test;

class JoinTokenTest {
    /** The lab swarm's root CA (tests/resources/swarm/swarm-root-ca.crt) and the digest its join tokens carried. */
    static final String LAB_DIGEST = "3micna2mqt41ym1wwsgspbq3b203uvp6zw69sykz2xl0dfzp4g";

    static final String SECRET = "0a1b2c3d4e5f6g7h8i9j0k1l2";

    static String pem() throws IOException {
        try (InputStream in = JoinTokenTest.class.getResourceAsStream("/swarm/swarm-root-ca.crt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void digestOfTheLabRootCaIsTheOneInItsTokens() throws IOException {
        assertEquals(LAB_DIGEST, JoinToken.caDigest(pem()));
    }

    @Test
    void digestIsLeftPaddedWithZerosTo50() {
        // sha256("pem-35") is small enough to take 48 base-36 digits (computed independently in Python)
        String d = JoinToken.caDigest("pem-35");
        assertEquals("00zqb9dj9juscfv7app8su5z4ztgxalvwmcdvhmmz464754w82", d);
        assertEquals(50, d.length());
    }

    @Test
    void parsesTheDigestOutOfAToken() {
        JoinToken t = JoinToken.parse(new Secret("SWMTKN-1-" + LAB_DIGEST + "-" + SECRET, "test"));
        assertEquals(LAB_DIGEST, t.caDigest());
        assertEquals("3micna2mqt41", t.shortDigest());
        assertFalse(t.fips());
        assertFalse(t.toString().contains(SECRET), t.toString());
    }

    @Test
    void acceptsTheFipsSuffix() {
        assertTrue(JoinToken.parse(new Secret("SWMTKN-1-" + LAB_DIGEST + "-" + SECRET + "-f", "test"))
                .fips());
    }

    @Test
    void rejectsMalformedTokensWithoutShowingThem() {
        for (String bad : new String[] {
            "SWMTKN-2-" + LAB_DIGEST + "-" + SECRET, // other version
            "SWMTKN-1-" + LAB_DIGEST.substring(1) + "-" + SECRET, // digest too short
            "SWMTKN-1-" + LAB_DIGEST + "-" + SECRET + "x", // secret too long
            "SWMTKN-1-" + LAB_DIGEST.toUpperCase(Locale.ROOT) + "-" + SECRET,
            "hunter2-not-a-token-at-all",
        }) {
            N0d3Exception e =
                    assertThrows(N0d3Exception.class, () -> JoinToken.parse(new Secret(bad, "file /etc/t")), bad);
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("file /etc/t"), e.getMessage());
            assertFalse(e.getMessage().contains(bad), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            // nothing had to be masked: the message was built without the value, not rescued by the Redactor
            assertFalse(e.getMessage().contains("***"), e.getMessage());
        }
    }
}
