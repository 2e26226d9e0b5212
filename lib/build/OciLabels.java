package lib.build;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import lib.cli.N0d3Exception;

/**
 * The OCI image annotations every node image carries, as {@code --label} values
 * (https://github.com/opencontainers/image-spec/blob/main/annotations.md): source, revision, version,
 * created (RFC 3339, UTC, whole seconds; SOURCE_DATE_EPOCH when set, for reproducible builds) and title.
 */
public final class OciLabels {
    public static final String PREFIX = "org.opencontainers.image.";

    private OciLabels() {}

    /**
     * The labels, with the operator's {@code --label} values applied last.
     *
     * @param source   repository URL, or null to leave the label out
     * @param revision full git commit id, or null to leave the label out
     * @param extra    operator's --label values, applied last (they may override ours)
     */
    public static Map<String, String> of(
            String source, String revision, String version, Instant created, String title, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        if (source != null && !source.isBlank()) m.put(PREFIX + "source", source.strip());
        if (revision != null && !revision.isBlank()) m.put(PREFIX + "revision", revision);
        m.put(PREFIX + "version", version);
        m.put(PREFIX + "created", rfc3339(created));
        m.put(PREFIX + "title", title);
        if (extra != null) m.putAll(extra);
        return m;
    }

    public static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** SOURCE_DATE_EPOCH (seconds since the epoch) when set, else now. */
    public static Instant created(Map<String, String> env, Instant now) {
        String e = env.get("SOURCE_DATE_EPOCH");
        if (e == null || e.isBlank()) return now;
        try {
            return Instant.ofEpochSecond(Long.parseLong(e.strip()));
        } catch (NumberFormatException ex) {
            throw N0d3Exception.usage("SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01, got '" + e + "'");
        }
    }

    /** Parses repeated {@code KEY=VALUE} flag values; {@code flag} names the flag in errors. */
    public static Map<String, String> keyValues(Iterable<String> values, String flag) {
        Map<String, String> m = new LinkedHashMap<>();
        if (values == null) return m;
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0) throw N0d3Exception.usage(flag + ": expected KEY=VALUE, got '" + v + "'");
            m.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return m;
    }
}
