package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The payload's timestamp and sample_id, written without java.time.format and SecureRandom: the JDK's results. */
class PayloadFormatTest {
    static final long[] EDGES = {
        0,
        1,
        999,
        1000,
        -1,
        -1000,
        -1001,
        951_782_400_000L /* 2000-02-29 */,
        951_868_799_999L,
        4_107_542_400_000L /* 2100-03-01 */,
        253_402_300_799_999L /* 9999-12-31T23:59:59.999Z */,
        253_402_300_800_000L /* 10000: Instant's own form */,
        -62_167_219_200_000L /* year 0 */,
        -62_167_219_200_001L /* year -1 */,
        1_761_508_800_000L,
        1_761_508_800_120L,
        1_761_508_800_100L
    };

    @Test
    void timestampsAreInstantToStringOfTheMilliseconds() {
        for (long ms : EDGES) assertEquals(Instant.ofEpochMilli(ms).toString(), Payload.isoMillis(ms), "at " + ms);
        Random r = new Random(14);
        for (int i = 0; i < 200_000; i++) {
            long ms = r.nextLong() % 300_000_000_000_000L; // years -7500 to 11500
            assertEquals(Instant.ofEpochMilli(ms).toString(), Payload.isoMillis(ms), "at " + ms);
        }
    }

    @Test
    void timestampsReadBackAsInstantParseReadsThem() {
        Random r = new Random(4);
        for (int i = 0; i < 100_000; i++) {
            long ms = i < EDGES.length ? EDGES[i] : r.nextLong() % 300_000_000_000_000L;
            String iso = Instant.ofEpochMilli(ms).toString();
            assertEquals(ms, Payload.epochMillis(iso), iso);
        }
        // what the hand reader does not take goes to Instant.parse, which reads or refuses it
        assertEquals(
                Instant.parse("2025-10-26T20:00:00.123456Z").toEpochMilli(),
                Payload.epochMillis("2025-10-26T20:00:00.123456Z"));
        assertEquals(
                Instant.parse("2025-10-26T20:00:00.100Z").toEpochMilli(),
                Payload.epochMillis("2025-10-26T20:00:00.100Z"));
        assertEquals(
                Instant.parse("2025-10-26T20:00:00.000Z").toEpochMilli(),
                Payload.epochMillis("2025-10-26T20:00:00.000Z"));
        assertEquals(
                Instant.parse("2025-10-26T24:00:00Z").toEpochMilli(),
                Payload.epochMillis("2025-10-26T24:00:00Z"),
                "ISO's end of day");
        for (String bad : new String[] {
            "2025-02-30T20:00:00Z",
            "2025-13-01T20:00:00Z",
            "2025-10-26 20:00:00Z",
            "2025-10-26T20:00:61Z",
            "2025-10-26T20:00:00.12xZ",
            "2025-10-26T2O:00:00Z",
            "2025-10-26T20:00:00"
        }) {
            assertThrows(DateTimeParseException.class, () -> Instant.parse(bad), bad);
            assertThrows(DateTimeParseException.class, () -> Payload.epochMillis(bad), bad);
        }
    }

    @Test
    void sampleIdsAreRandomVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = Payload.randomUuid();
            UUID u = UUID.fromString(id);
            assertEquals(id, u.toString(), "canonical form");
            assertEquals(4, u.version());
            assertEquals(2, u.variant(), "IETF variant");
            assertTrue(seen.add(id), "repeated " + id);
        }
    }
}
