package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import oshi.driver.linux.proc.CpuStat;
import oshi.driver.linux.proc.UpTime;
import oshi.util.FileUtil;
import oshi.util.ParseUtil;

/**
 * HostCollector reads /proc and /sys itself, by the rules of OSHI's JNA-free Linux drivers and utilities, whose
 * first use costs a timer run tens of milliseconds of set-up: on this host, each reader gives what the OSHI call
 * it replaces gives (OSHI is still a dependency, for the sensors), and the parsing helpers agree with OSHI's on
 * the shapes the kernel writes.
 */
class HostProcFilesTest {
    @Test
    void cpuTicksAreOshisCpuStatTicks() {
        long[] before = HostCollector.cpuTicks(HostCollector.lines("/proc/stat"));
        long[] oshi = CpuStat.getSystemCpuLoadTicks();
        long[] after = HostCollector.cpuTicks(HostCollector.lines("/proc/stat"));
        assertEquals(CpuTicks.MODES.length, oshi.length);
        for (int i = 0; i < oshi.length; i++) {
            String mode = CpuTicks.MODES[i];
            assertTrue(
                    before[i] <= oshi[i] && oshi[i] <= after[i],
                    mode + ": " + before[i] + " " + oshi[i] + " " + after[i]);
        }
        assertTrue(after[3] > 0, "idle ticks read");
    }

    @Test
    void uptimeIsOshisUpTime() {
        double before = HostCollector.uptimeSeconds(HostCollector.firstLine("/proc/uptime"));
        double oshi = UpTime.getSystemUptimeSeconds();
        double after = HostCollector.uptimeSeconds(HostCollector.firstLine("/proc/uptime"));
        assertTrue(before > 0 && before <= oshi && oshi <= after, before + " " + oshi + " " + after);
    }

    @Test
    void fileLinesAreOshisFileUtilLines() {
        for (String path : List.of("/proc/meminfo", "/proc/net/dev", "/proc/net/route", "/proc/mounts")) {
            List<String> ours = HostCollector.lines(path);
            List<String> theirs = FileUtil.readFile(path, false);
            if (!ours.equals(theirs)) ours = HostCollector.lines(path); // a counter moved between the two reads
            if (path.equals("/proc/meminfo") || path.equals("/proc/net/dev")) {
                assertEquals(theirs.size(), ours.size(), path);
                for (int i = 0; i < ours.size(); i++)
                    assertEquals(label(theirs.get(i)), label(ours.get(i)), path + " line " + i);
            } else {
                assertEquals(theirs, ours, path);
            }
            assertFalse(ours.isEmpty(), path);
        }
        double[] load = HostCollector.readLoad();
        String[] loadavg = ParseUtil.whitespaces.split(
                FileUtil.getStringFromFile("/proc/loadavg").trim());
        assertTrue(load.length == 3 && load[0] >= 0 && load[2] >= 0 && loadavg.length >= 3, loadavg[0]);
        assertEquals(List.of(), HostCollector.lines("/proc/no-such-file"));
        assertEquals("", HostCollector.firstLine("/proc/no-such-file"));
        assertEquals(
                FileUtil.getStringFromFile("/proc/sys/kernel/arch"), HostCollector.firstLine("/proc/sys/kernel/arch"));
    }

    /** What does not move between two reads: the key of a meminfo line, the interface of a net/dev one. */
    private static String label(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    @Test
    void meminfoKeysAndSizesAreOshis() {
        List<String> lines = FileUtil.readFile("/proc/meminfo", false);
        Map<String, String> ours = HostCollector.keyValues(lines);
        assertEquals(FileUtil.getKeyValueMapFromFile("/proc/meminfo", ":").keySet(), ours.keySet());
        for (var e : ours.entrySet())
            assertEquals(
                    ParseUtil.parseDecimalMemorySizeToBinary(e.getValue()),
                    HostCollector.bytes(e.getValue()),
                    e.toString());
        for (String v : List.of("24683756 kB", "0 kB", "512", "3 MB", "2 GB", "1 TB", "7 KB", "9 B"))
            assertEquals(ParseUtil.parseDecimalMemorySizeToBinary(v), HostCollector.bytes(v), v);
        assertTrue(HostCollector.readMeminfo()[0] > 0, "MemTotal read");
    }

    @Test
    void fieldsAreOshisWhitespaceSplit() {
        for (String line : List.of(
                "cpu  2255 34 2290 22625563 6290 127 456 0 0 0",
                "  eth0: 1 2 3\t4 ",
                "\tlo\t00000000\t0100007F",
                "one",
                "a \u000b b \f c \r d")) {
            assertArrayEquals(ParseUtil.whitespaces.split(line.trim()), HostCollector.fields(line), line);
        }
        assertArrayEquals(new String[0], HostCollector.fields("  "));
        for (String line : FileUtil.readFile("/proc/net/dev", false))
            assertArrayEquals(ParseUtil.whitespaces.split(line.trim()), HostCollector.fields(line), line);
    }

    @Test
    void excludedMountsAreNodeExportersPattern() {
        java.util.regex.Pattern nodeExporter = java.util.regex.Pattern.compile(
                "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/).*");
        for (String m : List.of(
                "/",
                "/dev",
                "/dev/shm",
                "/devices",
                "/proc",
                "/proc/sys/fs/binfmt_misc",
                "/sys",
                "/sys/fs/cgroup",
                "/system",
                "/run",
                "/run/credentials",
                "/run/credentials/",
                "/run/credentials/a.service",
                "/run/credentials/a/b",
                "/var/lib/docker",
                "/var/lib/docker/",
                "/var/lib/docker/overlay2/x/merged",
                "/var/lib/dockerd",
                "/var/lib/containers/storage",
                "/var/lib/containers/storage/overlay",
                "/home",
                "/boot/firmware",
                "/mnt/sandboxing/x"))
            assertEquals(nodeExporter.matcher(m).matches(), HostCollector.excludedMount(m), m);
    }

    @Test
    void countersAreOshisUnsignedCounters() {
        for (String v : List.of("0", "123", "9223372036854775808", "18446744073709551615", "x", ""))
            assertEquals(ParseUtil.parseUnsignedLongOrDefault(v, 0), HostCollector.unsignedOrZero(v), v);
        // OSHI goes through BigInteger (a sign, and wrapping past 2^64); the kernel writes neither
        assertEquals(0, HostCollector.unsignedOrZero("-1"));
    }

    @Test
    void aShortCpuLineGivesZerosOrWhatItHas() {
        assertArrayEquals(new long[8], HostCollector.cpuTicks(List.of()));
        assertArrayEquals(new long[8], HostCollector.cpuTicks(List.of("cpu  1 2 3")), "no idle field");
        // OSHI's CpuStat reads nine fields unchecked (an exception on such a line); here the missing ones are 0
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 0, 0, 0}, HostCollector.cpuTicks(List.of("cpu  1 2 3 4 5")));
        assertArrayEquals(
                new long[] {1, 2, 3, 4, 5, 6, 7, 8},
                HostCollector.cpuTicks(List.of("cpu  1 2 3 4 5 6 7 8 9 10", "cpu0 1 1 1 1 1 1 1 1 1 1")));
        assertEquals(0.0, HostCollector.uptimeSeconds(""));
        assertEquals(12.5, HostCollector.uptimeSeconds("12.5 40.25"));
    }
}
