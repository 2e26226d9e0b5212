package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** /proc/meminfo values as HostCollector reads them (OSHI's key-value reader gives "NNN kB" strings). */
class HostMeminfoTest {
    @Test
    void kilobytesBecomeBytes() {
        Map<String, String> m = Map.of(
                "MemTotal",
                "1000 kB",
                "MemAvailable",
                "600 kB",
                "MemFree",
                "100 kB",
                "SwapTotal",
                "2048 kB",
                "SwapFree",
                "1024 kB");
        assertArrayEquals(new long[] {1000 * 1024L, 600 * 1024L, 2048 * 1024L, 1024 * 1024L}, HostCollector.meminfo(m));
    }

    @Test
    void withoutMemAvailableTheEstimateIsOshis() {
        // kernels before 3.14: MemFree + Active(file) + Inactive(file) + SReclaimable, as LinuxGlobalMemory
        Map<String, String> m = Map.of(
                "MemTotal",
                "1000 kB",
                "MemFree",
                "100 kB",
                "Active(file)",
                "50 kB",
                "Inactive(file)",
                "25 kB",
                "SReclaimable",
                "5 kB");
        assertArrayEquals(new long[] {1000 * 1024L, 180 * 1024L, 0, 0}, HostCollector.meminfo(m));
    }

    @Test
    void missingKeysAreZero() {
        assertArrayEquals(new long[] {0, 0, 0, 0}, HostCollector.meminfo(Map.of()));
    }
}
