package lib.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import lib.cli.N0d3Exception;
import org.junit.jupiter.api.Test;

/**
 * One rule for every source: a duration (or a telemetry interval) that codex.yaml may hold is exactly one
 * that TELEMETRY_INTERVAL or a flag may give. The file's values are checked by the schema's $defs duration
 * and positiveDuration (plus binding), the environment's and flags' by {@link Units}; here both judge the
 * same corpus, as YAML text (a string) and, where it is a number, as a YAML integer.
 */
class UnitsSchemaAgreementTest {
    static final List<String> CORPUS = List.of(
            "0",
            "00",
            "0s",
            "00s",
            "000ms",
            "0d",
            "1",
            "1ms",
            "999ms",
            "60s",
            "90",
            "5m",
            "1h",
            "7d",
            "365d",
            "366d",
            "8760h",
            "8761h",
            "525600m",
            "525601m",
            "31536000",
            "31536001",
            "31536000000ms",
            "31536000001ms",
            "99999999999999999999s",
            "9223372036854775807",
            "9223372036854775808d",
            "1.5s",
            "-1s",
            "-1",
            "5 s",
            "1w",
            "s",
            "60S",
            "0x10");

    static boolean accepted(Runnable r) {
        try {
            r.run();
            return true;
        } catch (N0d3Exception | IllegalArgumentException e) {
            return false;
        }
    }

    static void agree(String key, String yamlPath, Consumer<String> units) {
        List<String> disagree = new ArrayList<>();
        for (String v : CORPUS) {
            boolean byUnits = accepted(() -> units.accept(v));
            boolean asText =
                    accepted(() -> Settings.fromText("c.yaml", yamlPath.replace("V", "'" + v + "'"), Map.of()));
            if (byUnits != asText) disagree.add(v + " (text): Units " + byUnits + ", schema " + asText);
            if (v.matches("-?[0-9]+")) {
                boolean asNumber = accepted(() -> Settings.fromText("c.yaml", yamlPath.replace("V", v), Map.of()));
                if (byUnits != asNumber) disagree.add(v + " (integer): Units " + byUnits + ", schema " + asNumber);
            }
        }
        assertEquals(List.of(), disagree, key);
    }

    @Test
    void theTelemetryIntervalRuleIsTheSameInTheFileTheEnvironmentAndTheFlag() {
        agree("capabilities.telemetry.interval", "capabilities: {telemetry: {interval: V}}", Units::positiveDuration);
        Settings s = Settings.fromText("c.yaml", "{}", Map.of());
        agree("--interval", "capabilities: {telemetry: {interval: V}}", v -> s.telemetryInterval(v));
        agree(
                "TELEMETRY_INTERVAL",
                "capabilities: {telemetry: {interval: V}}",
                v -> Settings.fromText("c.yaml", "{}", Map.of("TELEMETRY_INTERVAL", v)));
    }

    @Test
    void everyOtherDurationFollowsUnitsDuration() {
        agree("management.timeout", "management: {timeout: V}", Units::duration);
        agree(
                "capabilities.telemetry.spool.max_age",
                "capabilities: {telemetry: {spool: {max_age: V}}}",
                Units::duration);
    }
}
