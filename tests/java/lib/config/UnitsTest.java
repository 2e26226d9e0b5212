package lib.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "60s,PT1M", "90,PT1M30S", "5m,PT5M", "1h,PT1H", "7d,PT168H", "0,PT0S", "' 30s ',PT30S"})
    void durations(String text, String iso) {
        assertEquals(Duration.parse(iso), Units.duration(text));
    }

    /** Units reads by hand what these two patterns accept (the schema's $defs say the same): the same verdicts. */
    @Test
    void acceptsWhatTheUnitPatternsAccept() {
        java.util.regex.Pattern duration = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h|d)?");
        java.util.regex.Pattern size = java.util.regex.Pattern.compile("([0-9]+)(B|KiB|MiB|GiB)?");
        for (String t : java.util.List.of(
                "5", "5ms", "5s", "5m", "5h", "5d", "5mi", "5M", "5S", "5 s", "5sm", "5msx", "s", "ms", "", " 7d ",
                "16B", "16KiB", "16Ki", "16K", "16MiB", "16Mi", "16GiB", "16G", "16GB", "16kib", "0x10", "١٢")) {
            assertEquals(duration.matcher(t.strip()).matches(), accepts(() -> Units.duration(t)), "duration " + t);
            assertEquals(size.matcher(t.strip()).matches(), accepts(() -> Units.bytes(t)), "size " + t);
        }
    }

    private static boolean accepts(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5s", "-1s", "10 s", "5sec", "1w", "s"})
    void badDurationsSayWhatIsExpected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.duration(text));
        assertEquals("expected a duration such as 500ms, 60s, 5m, 1h or 7d, got '" + text + "'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"366d", "8761h", "31536001", "99999999999999999999s", "9223372036854775807d"})
    void durationsBeyondAYearAreOutOfRange(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.duration(text));
        assertEquals("expected a duration of at most 365d, got '" + text + "' (out of range)", e.getMessage());
        assertEquals(Duration.ofDays(365), Units.duration("365d"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "000ms", "0d"})
    void aPositiveDurationIsAboveZero(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.positiveDuration(text));
        assertEquals(
                "expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, got '" + text + "'", e.getMessage());
        assertEquals(Duration.ofMillis(1), Units.positiveDuration("1ms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1025GiB", "1099511627777", "99999999999999999999", "9999999999999999999GiB"})
    void sizesBeyondATebibyteAreOutOfRange(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.bytes(text));
        assertEquals("expected a size of at most 1024GiB, got '" + text + "' (out of range)", e.getMessage());
        assertEquals(1L << 40, Units.bytes("1024GiB"));
    }

    @Test
    void nullDurationIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Units.duration(null));
    }

    @ParameterizedTest
    @CsvSource({"0,0", "512,512", "512B,512", "1KiB,1024", "16MiB,16777216", "2GiB,2147483648"})
    void sizes(String text, long bytes) {
        assertEquals(bytes, Units.bytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1KB", "1.5MiB", "-1", "MiB", "1 MiB"})
    void badSizes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.bytes(text));
        assertEquals("expected a size such as 512KiB, 16MiB or 1GiB, got '" + text + "'", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S,500ms", "PT1M30S,90s", "PT2M,2m", "PT1H,1h", "PT48H,2d", "PT0S,0s", "PT1.001S,1001ms"})
    void formatIsTheShortestExactForm(String iso, String text) {
        assertEquals(text, Units.format(Duration.parse(iso)));
        assertEquals(Duration.parse(iso), Units.duration(text), "format and parse round-trip");
    }
}
