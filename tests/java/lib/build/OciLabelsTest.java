package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import org.junit.jupiter.api.Test;

class OciLabelsTest {
    static final Instant T = Instant.parse("2026-03-04T05:06:07.891Z");

    @Test
    void theFiveOciLabelsInOrder() {
        Map<String, String> m = OciLabels.of(
                "https://github.com/PR-CYBR/PR-CYBR-N0D3",
                "0123456789abcdef0123456789abcdef01234567",
                "1.2.3",
                T,
                "n0d3",
                Map.of());
        assertEquals(
                List.of(
                        "org.opencontainers.image.source=https://github.com/PR-CYBR/PR-CYBR-N0D3",
                        "org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567",
                        "org.opencontainers.image.version=1.2.3",
                        "org.opencontainers.image.created=2026-03-04T05:06:07Z",
                        "org.opencontainers.image.title=n0d3"),
                m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    @Test
    void unknownSourceAndRevisionAreLeftOutAndExtraLabelsWin() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("org.opencontainers.image.title", "custom");
        extra.put("tier", "edge");
        Map<String, String> m = OciLabels.of(" ", null, "1", T, "n0d3", extra);
        assertFalse(m.containsKey("org.opencontainers.image.source"));
        assertFalse(m.containsKey("org.opencontainers.image.revision"));
        assertEquals("custom", m.get("org.opencontainers.image.title"));
        assertEquals("edge", m.get("tier"));
    }

    @Test
    void sourceDateEpochFixesCreated() {
        assertEquals(
                "1970-01-02T00:00:00Z", OciLabels.rfc3339(OciLabels.created(Map.of("SOURCE_DATE_EPOCH", "86400"), T)));
        assertEquals(T, OciLabels.created(Map.of(), T));
        N0d3Exception e =
                assertThrows(N0d3Exception.class, () -> OciLabels.created(Map.of("SOURCE_DATE_EPOCH", "yesterday"), T));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void keyValuesKeepEqualsSignsInValuesAndRefuseMissingKeys() {
        assertEquals(Map.of("A", "b=c", "E", ""), OciLabels.keyValues(List.of("A=b=c", "E="), "--build-arg"));
        N0d3Exception e =
                assertThrows(N0d3Exception.class, () -> OciLabels.keyValues(List.of("novalue"), "--build-arg"));
        assertEquals("--build-arg: expected KEY=VALUE, got 'novalue'", e.getMessage());
        assertThrows(N0d3Exception.class, () -> OciLabels.keyValues(List.of("=x"), "--label"));
    }
}
