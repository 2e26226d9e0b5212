package lib.config;

import java.time.Duration;

/**
 * Durations ("500ms", "60s", "5m", "1h", "7d", or bare seconds, from 0 to {@link #MAX_DURATION}) and sizes
 * ("16MiB", bare bytes, up to {@link #MAX_BYTES}). The same rules as schemas/codex.schema.json's $defs duration and positiveDuration
 * (UnitsSchemaAgreementTest holds the two together), so a value is refused alike from codex.yaml, the
 * environment or a flag.
 */
public final class Units {
    /** The units of {@code ([0-9]+)(ms|s|m|h|d)?} and {@code ([0-9]+)(B|KiB|MiB|GiB)?}, read by {@link #split}. */
    private static final String[] DURATION_UNITS = {"ms", "s", "m", "h", "d"};

    private static final String[] SIZE_UNITS = {"B", "KiB", "MiB", "GiB"};
    /** The longest duration any setting takes: nothing here waits, keeps or repeats over more than a year. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);
    /** The largest size any setting takes (the spool's bound): 1 TiB. */
    public static final long MAX_BYTES = 1L << 40;

    private static final String EXAMPLES = "such as 500ms, 60s, 5m, 1h or 7d";

    private Units() {}

    /**
     * The stripped text as {ASCII digits, unit}, the unit null when absent; null when the text is not digits followed
     * by one of {@code units} or by nothing. By hand, not a regular expression: a telemetry timer run reads its
     * interval and spool bounds through here, and compiles no pattern otherwise.
     */
    private static String[] split(String text, String[] units) {
        String t = text == null ? "" : text.strip();
        int i = 0;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') i++;
        if (i == 0) return null;
        if (i == t.length()) return new String[] {t, null};
        String unit = t.substring(i);
        for (String u : units) {
            if (u.equals(unit)) return new String[] {t.substring(0, i), unit};
        }
        return null;
    }

    /** Parses a duration; throws IllegalArgumentException with the expected form. */
    public static Duration duration(String text) {
        String[] m = split(text, DURATION_UNITS);
        if (m == null) {
            throw new IllegalArgumentException("expected a duration " + EXAMPLES + ", got '" + text + "'");
        }
        String unit = m[1] == null ? "s" : m[1];
        Duration d;
        try {
            long n = Long.parseLong(m[0]);
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
        String[] m = split(text, SIZE_UNITS);
        if (m == null) {
            throw new IllegalArgumentException("expected a size such as 512KiB, 16MiB or 1GiB, got '" + text + "'");
        }
        String unit = m[1] == null ? "B" : m[1];
        long n;
        try {
            n = Math.multiplyExact(
                    Long.parseLong(m[0]),
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
