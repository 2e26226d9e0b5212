package lib.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ("500ms", "60s", "5m", "1h", "7d", or bare seconds, from 0 to {@link #MAX_DURATION}) and sizes
 * ("16MiB", bare bytes, up to {@link #MAX_BYTES}). The same rules as schemas/codex.schema.json's $defs duration and positiveDuration
 * (UnitsSchemaAgreementTest holds the two together), so a value is refused alike from codex.yaml, the
 * environment or a flag.
 */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("([0-9]+)(B|KiB|MiB|GiB)?");
    /** The longest duration any setting takes: nothing here waits, keeps or repeats over more than a year. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);
    /** The largest size any setting takes (the spool's bound): 1 TiB. */
    public static final long MAX_BYTES = 1L << 40;

    private static final String EXAMPLES = "such as 500ms, 60s, 5m, 1h or 7d";

    private Units() {}

    /** Parses a duration; throws IllegalArgumentException with the expected form. */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration " + EXAMPLES + ", got '" + text + "'");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            d = null; // more digits than a long, or more seconds than a Duration holds
        }
        if (d == null || d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                    "expected a duration of at most " + format(MAX_DURATION) + ", got '" + text + "' (out of range)");
        }
        return d;
    }

    /**
     * A duration above zero (an interval: zero would mean "all the time"); the one rule for
     * capabilities.telemetry.interval whether it comes from codex.yaml, TELEMETRY_INTERVAL or --interval.
     */
    public static Duration positiveDuration(String text) {
        Duration d = duration(text);
        if (d.isZero())
            throw new IllegalArgumentException("expected a duration above zero, " + EXAMPLES + ", got '" + text + "'");
        return d;
    }

    /** Parses a size, from 0 to {@link #MAX_BYTES}; throws IllegalArgumentException with the expected form. */
    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 512KiB, 16MiB or 1GiB, got '" + text + "'");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        long n;
        try {
            n = Math.multiplyExact(
                    Long.parseLong(m.group(1)),
                    switch (unit) {
                        case "KiB" -> 1L << 10;
                        case "MiB" -> 1L << 20;
                        case "GiB" -> 1L << 30;
                        default -> 1L;
                    });
        } catch (ArithmeticException | NumberFormatException e) {
            n = -1; // more than a long holds
        }
        if (n < 0 || n > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "expected a size of at most " + (MAX_BYTES >> 30) + "GiB, got '" + text + "' (out of range)");
        }
        return n;
    }

    /** The shortest exact rendering: 90s → "90s", 120s → "2m". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s != 0 && s % 86400 == 0) return s / 86400 + "d";
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
