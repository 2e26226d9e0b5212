package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.telemetry.HostCollector;
import lib.telemetry.TelemetryState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.Need;

/**
 * HostCollector's figures against the kernel's own files, read here independently (plain JDK reads of
 * /proc and /sys, the JDK's statvfs, {@code df}), and its class loading: a whole {@code --once} run
 * must not load JNA's native side. Counters that move between the test's reading and the collector's
 * are bracketed by a reading before and one after; gauges get the tolerance stated at each assertion.
 */
class HostCollectorTest {
    static final long MIB = 1024 * 1024;

    @TempDir
    Path work;

    static Map<String, Long> meminfoBytes() throws IOException {
        Map<String, Long> m = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            String[] kv = line.split(":", 2);
            String[] v = kv[1].trim().split(" ");
            m.put(kv[0], Long.parseLong(v[0]) * (v.length > 1 && v[1].equals("kB") ? 1024 : 1));
        }
        return m;
    }

    static long sysLong(String path) throws IOException {
        return Long.parseLong(Files.readString(Path.of(path)).trim());
    }

    static double[] loadavg() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }

    /** user ticks of /proc/stat's aggregate line. */
    static long userTicks() throws IOException {
        return Long.parseLong(
                Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+")[1]);
    }

    @Test
    void memoryMatchesProcMeminfo() throws IOException {
        Map<String, Long> before = meminfoBytes();
        HostCollector.Result r = new HostCollector().collect(TelemetryState.empty(), System.currentTimeMillis());
        Map<String, Long> after = meminfoBytes();
        JsonNode m = r.memory();
        assertEquals(before.get("MemTotal"), m.path("total_bytes").asLong(), "MemTotal is constant: exact");
        assertEquals(before.get("MemTotal") / 1024, m.path("memory_total_kb").asLong());
        assertEquals(before.get("SwapTotal"), m.path("swap_total_bytes").asLong(), "SwapTotal: exact");
        // MemAvailable moves with every allocation on a busy machine: within 64 MiB of the readings around it
        long lo = Math.min(before.get("MemAvailable"), after.get("MemAvailable")) - 64 * MIB;
        long hi = Math.max(before.get("MemAvailable"), after.get("MemAvailable")) + 64 * MIB;
        long avail = m.path("available_bytes").asLong();
        assertTrue(avail >= lo && avail <= hi, "available " + avail + " not in [" + lo + ", " + hi + "]");
        assertEquals(
                m.path("total_bytes").asLong() - avail, m.path("used_bytes").asLong());
        long swapUsed = before.get("SwapTotal") - before.get("SwapFree");
        assertTrue(
                Math.abs(m.path("swap_used_bytes").asLong() - swapUsed) <= 64 * MIB,
                "swap used " + m.path("swap_used_bytes") + " vs " + swapUsed);
    }

    @Test
    void interfaceCountersMatchSysClassNet() throws IOException {
        HostCollector c = new HostCollector();
        HostCollector.Result first = c.collect(TelemetryState.empty(), System.currentTimeMillis());
        List<String> names = new ArrayList<>();
        first.network().path("interfaces").forEach(i -> names.add(i.path("name").asText()));
        Need.that(!names.isEmpty(), "no network interface with a hardware address on this machine");
        assertFalse(
                names.contains("lo"), "loopback is a local interface, left out as OSHI's getNetworkIFs(false) does");
        String name = names.get(0);
        String stats = "/sys/class/net/" + name + "/statistics/";
        String[] counters = {"rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "rx_errors", "tx_errors"};
        long[] before = new long[counters.length];
        for (int k = 0; k < counters.length; k++) before[k] = sysLong(stats + counters[k]);
        HostCollector.Result r = c.collect(TelemetryState.empty(), System.currentTimeMillis());
        long[] after = new long[counters.length];
        for (int k = 0; k < counters.length; k++) after[k] = sysLong(stats + counters[k]);
        JsonNode i = null;
        for (JsonNode n : r.network().path("interfaces"))
            if (n.path("name").asText().equals(name)) i = n;
        assertNotNull(i, name + " listed in the second sample too");
        for (int k = 0; k < counters.length; k++) {
            long v = i.path(counters[k]).asLong();
            // counters only grow: bracketed exactly by the readings before and after
            assertTrue(
                    v >= before[k] && v <= after[k],
                    name + " " + counters[k] + " " + v + " not in [" + before[k] + ", " + after[k] + "]");
        }
        for (String n : names) assertTrue(Files.isDirectory(Path.of("/sys/class/net", n)), n + " is a real interface");
    }

    /**
     * The sample's interface is the IPv4 default route's when that one is listed; else (no default route, or it runs
     * over an interface without a hardware address, such as a tun) the first listed one; "" when none is listed.
     * Each case is asserted, so the test checks on every machine; its counters are that interface's.
     */
    @Test
    void defaultRouteInterfaceIsThePrimaryOne() throws IOException {
        String route = null;
        for (String line : Files.readAllLines(Path.of("/proc/net/route"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[1].equals("00000000") && route == null) route = f[0];
        }
        HostCollector.Result r = new HostCollector().collect(TelemetryState.empty(), System.currentTimeMillis());
        List<JsonNode> listed = new ArrayList<>();
        r.network().path("interfaces").forEach(listed::add);
        String defaultRoute = route;
        JsonNode expected = listed.stream()
                .filter(n -> n.path("name").asText().equals(defaultRoute))
                .findFirst()
                .orElse(listed.isEmpty() ? null : listed.get(0));
        String why = "default route on " + route + ", listed "
                + listed.stream().map(n -> n.path("name").asText()).toList();
        if (expected == null) {
            assertEquals("", r.network().path("interface").asText(), why);
            assertEquals(0, r.network().path("network_rx_bytes").asLong(), why);
            return;
        }
        assertEquals(
                expected.path("name").asText(), r.network().path("interface").asText(), why);
        assertEquals(
                expected.path("rx_bytes").asLong(),
                r.network().path("network_rx_bytes").asLong(),
                why);
        assertEquals(
                expected.path("tx_bytes").asLong(),
                r.network().path("network_tx_bytes").asLong(),
                why);
    }

    @Test
    void rootFilesystemMatchesStatvfsAndDf() throws Exception {
        HostCollector.Result r = new HostCollector().collect(TelemetryState.empty(), System.currentTimeMillis());
        JsonNode root = null;
        for (JsonNode f : r.disk().path("filesystems"))
            if (f.path("mountpoint").asText().equals("/")) root = f;
        assertNotNull(root, "/ is reported: " + r.disk());
        FileStore fs = Files.getFileStore(Path.of("/"));
        assertEquals(fs.getTotalSpace(), root.path("size_bytes").asLong(), "size: exact (statvfs f_blocks * f_frsize)");
        assertEquals(fs.type(), root.path("fstype").asText());
        assertEquals(fs.getTotalSpace() / 1024, r.disk().path("disk_total_kb").asLong());

        ChildJvm.Result df = ChildJvm.run(List.of("df", "-B1", "--output=size,used,avail", "/"), null, null);
        assertEquals(0, df.exit(), df.stderr());
        String[] v = df.stdout().strip().split("\\R")[1].trim().split("\\s+");
        assertEquals(Long.parseLong(v[0]), root.path("size_bytes").asLong(), "df size: exact");
        // used and available move while other processes write: within 256 MiB of df's
        assertTrue(
                Math.abs(Long.parseLong(v[1]) - root.path("used_bytes").asLong()) <= 256 * MIB,
                "used vs df: " + v[1] + " " + root);
        assertTrue(
                Math.abs(Long.parseLong(v[2]) - root.path("available_bytes").asLong()) <= 256 * MIB,
                "avail vs df: " + v[2] + " " + root);
    }

    @Test
    void cpuLoadUptimeAndIdentityMatchTheKernel() throws IOException {
        double[] loadBefore = loadavg();
        long userBefore = userTicks();
        double upBefore =
                Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        HostCollector.Result r = new HostCollector().collect(TelemetryState.empty(), System.currentTimeMillis());
        double upAfter =
                Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        long userAfter = userTicks();
        double[] loadAfter = loadavg();

        String[] keys = {"load_avg_1m", "load_avg_5m", "load_avg_15m"};
        for (int k = 0; k < 3; k++) {
            double v = r.cpu().path(keys[k]).asDouble();
            // /proc/loadavg has two decimals and is recomputed every 5 s: between the readings around it
            assertTrue(
                    v >= Math.min(loadBefore[k], loadAfter[k]) && v <= Math.max(loadBefore[k], loadAfter[k]),
                    keys[k] + " " + v);
        }
        double user = r.cpu().path("seconds_total").path("user").asDouble();
        assertTrue(
                user >= userBefore / 100.0 && user <= userAfter / 100.0,
                "user seconds " + user + " in [" + userBefore / 100.0 + ", " + userAfter / 100.0 + "]");
        assertTrue(
                r.uptimeSeconds() >= (long) upBefore - 1 && r.uptimeSeconds() <= (long) upAfter + 1,
                "uptime " + r.uptimeSeconds() + " vs " + upBefore);
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), r.hostname());
        ChildJvm.Result uname = ChildJvm.run(List.of("uname", "-m"), null, null);
        assertEquals(uname.stdout().strip(), r.machine());
        assertTrue(r.cpu().path("temperature_celsius").isNull()
                || r.cpu().path("temperature_celsius").asDouble() > 0);
    }

    static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source");

    static boolean nonEmpty(String dir) {
        String[] names = new java.io.File(dir).list();
        return names != null && names.length > 0;
    }

    static List<String> loaded(Path log, String prefix) throws IOException {
        List<String> l = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = LOADED.matcher(line);
            if (m.find() && m.group(1).startsWith(prefix)) l.add(m.group(1));
        }
        return l;
    }

    /**
     * A whole {@code telemetry --once} (Docker absent) loads no JNA beyond {@code com.sun.jna.Platform},
     * the pure-Java OS detection {@code SystemInfo} itself calls: not {@code Native} (which loads
     * libjnidispatch), no {@code Structure}, no OSHI class that initialises libc.
     */
    @Test
    void aOnceRunLoadsNoJnaNativeCode() throws Exception {
        Path log = work.resolve("classes.log");
        Map<String, String> env = Map.of(
                "DOCKER_HOST", "unix:///nonexistent/docker.sock", "JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + log);
        Cli.Result r = Cli.run(
                work,
                env,
                "--once",
                "--output",
                "-",
                "--state-dir",
                work.resolve("state").toString());
        assertEquals(0, r.exit(), r.stderr());
        PayloadSchema.assertValid(PayloadSchema.parse(r.stdout().get(0)));
        assertTrue(
                loaded(log, "lib.telemetry.").contains("lib.telemetry.HostCollector"),
                "the log is read: the host collector was loaded");
        assertTrue(
                List.of("com.sun.jna.Platform").containsAll(loaded(log, "com.sun.jna.")),
                "only JNA's pure-Java Platform: " + loaded(log, "com.sun.jna."));
        assertEquals(
                List.of(),
                loaded(log, "oshi.software.os.linux."),
                "LinuxOperatingSystem's initialisation loads libc through JNA");
        assertEquals(List.of(), loaded(log, "oshi.jna."));
    }

    /**
     * On a Raspberry Pi the CPU temperature comes from {@code vcgencmd measure_temp} through OSHI's sensors
     * (a stand-in on the PATH prints what the real one prints, "temp=47.2'C", Raspberry Pi documentation,
     * "vcgencmd measure_temp"); where no temperature source exists at all (no hwmon device, no thermal
     * zone, no vcgencmd: VMs and containers like the CI machine) the sensors are not created and no
     * process is started; on a host with sysfs sensors they are used.
     */
    @Test
    void temperatureComesFromOshisSensorsOnlyWhereASourceExists() throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path fake = bin.resolve("vcgencmd");
        Files.writeString(fake, "#!/bin/sh\n[ \"$1\" = measure_temp ] && echo \"temp=47.2'C\"\n");
        fake.toFile().setExecutable(true);
        Path withLog = work.resolve("with.log");
        Cli.Result pi = onceWithClassLog(bin + ":/usr/bin:/bin", withLog, "s1");
        assertEquals(0, pi.exit(), pi.stderr());
        assertEquals(
                47.2,
                PayloadSchema.parse(pi.stdout().get(0))
                        .path("metrics")
                        .path("cpu")
                        .path("temperature_celsius")
                        .asDouble(),
                1e-9);
        assertTrue(loaded(withLog, "oshi.").contains("oshi.hardware.platform.linux.LinuxSensors"));

        Path withoutLog = work.resolve("without.log");
        Cli.Result vm = onceWithClassLog("/usr/bin:/bin", withoutLog, "s2");
        assertEquals(0, vm.exit(), vm.stderr());
        if (nonEmpty("/sys/class/hwmon") || nonEmpty("/sys/class/thermal")) {
            // a host with sysfs sensors: the sensors are used, from those files
            assertTrue(
                    loaded(withoutLog, "oshi.hardware.platform.linux.")
                            .contains("oshi.hardware.platform.linux.LinuxSensors"),
                    "sensors used");
        } else {
            assertTrue(PayloadSchema.parse(vm.stdout().get(0))
                    .path("metrics")
                    .path("cpu")
                    .path("temperature_celsius")
                    .isNull());
            assertEquals(
                    List.of(), loaded(withoutLog, "oshi.hardware.platform.linux.LinuxSensors"), "no sensors set up");
            // /proc and /sys read without OSHI's utilities: no OSHI class (nor its configuration and SLF4J set-up)
            assertEquals(List.of(), loaded(withoutLog, "oshi."), "no OSHI class without sensors");
            // the next run (the codex from the cache, not validated again: the schema validator logs through SLF4J)
            Path nextLog = work.resolve("next.log");
            Cli.Result next = onceWithClassLog("/usr/bin:/bin", nextLog, "s2");
            assertEquals(0, next.exit(), next.stderr());
            assertTrue(loaded(nextLog, "lib.telemetry.").contains("lib.telemetry.HostCollector"), "the log is read");
            assertEquals(List.of(), loaded(nextLog, "oshi."));
            assertEquals(List.of(), loaded(nextLog, "org.slf4j."), "no SLF4J set-up in a timer's steady state");
            assertEquals(List.of(), loaded(withoutLog, "java.lang.ProcessImpl"), "no process started");
        }
    }

    /** A {@code --once} run to stdout without Docker, with this PATH, its class loading logged, on this state dir. */
    private Cli.Result onceWithClassLog(String path, Path log, String stateDir) throws Exception {
        return Cli.run(
                work,
                Map.of(
                        "DOCKER_HOST",
                        "unix:///nonexistent/docker.sock",
                        "PATH",
                        path,
                        "JAVA_TOOL_OPTIONS",
                        "-Xlog:class+load:file=" + log),
                "--once",
                "--output",
                "-",
                "--state-dir",
                work.resolve(stateDir).toString());
    }

    /** The control for the test above: OSHI's own network-interface list does load JNA's native side. */
    @Test
    void oshisNetworkIFsWouldLoadJna() throws Exception {
        Path log = work.resolve("control.log");
        ChildJvm.Result r = ChildJvm.run(
                List.of(
                        ChildJvm.java(),
                        "-Xshare:auto",
                        "-XX:TieredStopAtLevel=1",
                        "-Xlog:class+load:file=" + log,
                        "-cp",
                        System.getProperty("java.class.path"),
                        OshiNetworkIFs.class.getName()),
                null,
                null);
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(
                loaded(log, "com.sun.jna.").contains("com.sun.jna.Native"),
                "com.sun.jna.Native loaded by getNetworkIFs");
    }

    /** Child main of {@link #oshisNetworkIFsWouldLoadJna}. */
    public static final class OshiNetworkIFs {
        public static void main(String[] args) {
            System.out.println(
                    new oshi.SystemInfo().getHardware().getNetworkIFs(false).size());
        }
    }
}
