package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import lib.host.Arch;
import lib.host.HostName;
import oshi.SystemInfo;
import oshi.hardware.Sensors;

/**
 * Host metrics for one sample (CPU, temperature, memory, load, disks, network): /proc and /sys read as OSHI's
 * JNA-free Linux drivers read them ({@code CpuStat}, {@code UpTime}, {@code FileUtil} and {@code ParseUtil}'s
 * rules, a test compares the two), the JDK's statvfs ({@link File#getTotalSpace}), and ONE OSHI
 * {@link SystemInfo} for its {@link Sensors} where a temperature source exists. Nothing on this path loads JNA's
 * native library, and on a host without sensors no OSHI class (child-JVM tests hold it to both). Rates are
 * computed against the previous sample in the {@link TelemetryState}: no run sleeps, and the first run reports
 * load averages only. Which OSHI objects are avoided, and why: docs/decisions/telemetry-cost.md.
 */
public final class HostCollector {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** node_exporter's default filesystem exclusions (fs types and mount points). */
    static final Set<String> PSEUDO_FS = Set.of(
            "autofs",
            "binfmt_misc",
            "bpf",
            "cgroup",
            "cgroup2",
            "configfs",
            "debugfs",
            "devpts",
            "devtmpfs",
            "fusectl",
            "hugetlbfs",
            "iso9660",
            "mqueue",
            "nsfs",
            "overlay",
            "proc",
            "procfs",
            "pstore",
            "rpc_pipefs",
            "securityfs",
            "selinuxfs",
            "squashfs",
            "sysfs",
            "tracefs",
            "efivarfs",
            "ramfs",
            "fuse.lxcfs");

    /**
     * node_exporter's default mount point exclusion,
     * {@code ^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)}, checked
     * without a regular expression (a timer run compiles none).
     */
    static boolean excludedMount(String mount) {
        for (String top : new String[] {"/dev", "/proc", "/sys"}) {
            if (mount.equals(top) || mount.startsWith(top + "/")) return true;
        }
        // the rest need something below them: /var/lib/docker itself is reported
        for (String below : new String[] {"/run/credentials/", "/var/lib/docker/", "/var/lib/containers/storage/"}) {
            if (mount.startsWith(below) && mount.length() > below.length()) return true;
        }
        return false;
    }

    private Sensors sensors;
    /** What does not change while a daemon runs, looked up on its first sample: uname -m, and whether a CPU temperature source exists. */
    private String machine;

    private Boolean temperatureSource;

    /** Everything host-side of the payload, keyed as in the payload (cpu, memory, disk, network, host). */
    public record Result(
            ObjectNode cpu,
            ObjectNode memory,
            ObjectNode disk,
            ObjectNode network,
            String hostname,
            String architecture,
            String machine,
            long uptimeSeconds,
            Double cpuTemperature,
            CpuTicks ticks) {}

    public Result collect(TelemetryState state, long nowMillis) {
        ObjectNode prev = state.section("host");
        long prevMillis = prev.path("time_ms").asLong(0);
        double elapsed = prevMillis > 0 && nowMillis > prevMillis ? (nowMillis - prevMillis) / 1000.0 : 0;

        CpuTicks ticks = new CpuTicks(cpuTicks(lines("/proc/stat")));
        ObjectNode cpu = cpu(ticks, CpuTicks.fromJson(prev.get("cpu_ticks")), readLoad());
        ObjectNode memory = memory(readMeminfo());
        ObjectNode disk = disk();
        ObjectNode network = network(currentInterfaces(System.nanoTime()), prev.path("net"), elapsed);
        long uptime = (long) uptimeSeconds(firstLine("/proc/uptime"));
        Double temp = null;
        if (temperatureSource == null) temperatureSource = hasTemperatureSource();
        double t = temperatureSource ? sensors().getCpuTemperature() : Double.NaN;
        if (t > 0 && !Double.isNaN(t)) temp = CpuTicks.round2(t);
        cpu.put("temperature_celsius", temp);

        prev.removeAll();
        prev.put("time_ms", nowMillis);
        prev.set("cpu_ticks", ticks.toJson());
        ObjectNode net = prev.putObject("net");
        for (JsonNode i : network.path("interfaces")) {
            ObjectNode c = net.putObject(i.path("name").asText());
            for (String k : NET_COUNTERS) c.put(k, i.path(k).asLong());
        }
        if (machine == null) machine = machine();
        return new Result(cpu, memory, disk, network, HostName.kernel(), archId(machine), machine, uptime, temp, ticks);
    }

    static ObjectNode cpu(CpuTicks ticks, CpuTicks previous, double[] load) {
        ObjectNode cpu = F.objectNode();
        Double util = ticks.utilisationSince(previous);
        cpu.put("cpu_percent", util);
        cpu.put("load_avg_1m", load[0]);
        cpu.put("load_avg_5m", load[1]);
        cpu.put("load_avg_15m", load[2]);
        cpu.put("cores", Runtime.getRuntime().availableProcessors());
        double[] modes = ticks.modesSince(previous);
        if (modes != null) {
            ObjectNode m = cpu.putObject("modes_percent");
            for (int i = 0; i < CpuTicks.MODES.length; i++) m.put(CpuTicks.MODES[i], modes[i]);
        }
        ObjectNode s = cpu.putObject("seconds_total");
        for (int i = 0; i < CpuTicks.MODES.length; i++)
            s.put(CpuTicks.MODES[i], (double) ticks.ticks()[i] / CpuTicks.USER_HZ);
        return cpu;
    }

    /** /proc/loadavg's first three fields (OSHI's own reader is {@code getloadavg} through JNA). */
    static double[] readLoad() {
        String[] f = fields(firstLine("/proc/loadavg"));
        if (f.length < 3) return new double[] {0, 0, 0};
        return new double[] {doubleOrZero(f[0]), doubleOrZero(f[1]), doubleOrZero(f[2])};
    }

    /**
     * OSHI's {@code CpuStat.getSystemCpuLoadTicks}: the "cpu" line of /proc/stat (its first), user, nice, system,
     * idle, iowait, irq, softirq and steal ticks; all 0 when it has no idle field, a missing later field 0.
     */
    static long[] cpuTicks(List<String> stat) {
        long[] ticks = new long[CpuTicks.MODES.length];
        if (stat.isEmpty()) return ticks;
        String[] f = fields(stat.get(0));
        if (f.length <= 4) return ticks; // "cpu" and fewer than four counters
        for (int i = 0; i < ticks.length && i + 1 < f.length; i++) ticks[i] = longOrZero(f[i + 1]);
        return ticks;
    }

    /** OSHI's {@code UpTime.getSystemUptimeSeconds}: /proc/uptime's first field, 0 when unreadable. */
    static double uptimeSeconds(String line) {
        int blank = line.indexOf(' ');
        return blank < 0 ? 0 : doubleOrZero(line.substring(0, blank));
    }

    /**
     * The lines of a /proc or /sys file, none when it cannot be read, as OSHI's {@code FileUtil.readFile} gives them
     * (UTF-8): read with {@link KernelFiles} instead, since OSHI's utilities set up its configuration (a properties
     * file from the class path), SLF4J and some thirty regular expressions and date formats on first use, tens of
     * milliseconds of every timer run (docs/decisions/telemetry-cost.md).
     */
    static List<String> lines(String path) {
        KernelFiles f = KernelFiles.host();
        if (!f.load(path) || f.length() == 0) return List.of();
        String text = f.string(0, f.length(), StandardCharsets.UTF_8);
        return List.of(text.split("\n"));
    }

    /** The first line of a file, "" when it cannot be read (OSHI's {@code FileUtil.getStringFromFile}). */
    static String firstLine(String path) {
        List<String> l = lines(path);
        return l.isEmpty() ? "" : l.get(0);
    }

    /** The blank-separated fields of a line, leading and trailing blanks ignored ({@code ParseUtil.whitespaces}). */
    static String[] fields(String line) {
        List<String> out = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && blank(line.charAt(i))) i++;
            int start = i;
            while (i < n && !blank(line.charAt(i))) i++;
            if (i > start) out.add(line.substring(start, i));
        }
        return out.toArray(new String[0]);
    }

    /** A character of the regular expressions' {@code \s}: space, tab, newline, vertical tab, form feed, return. */
    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static long longOrZero(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An unsigned 64-bit counter ({@code ParseUtil.parseUnsignedLongOrDefault}), 0 when not one. */
    static long unsignedOrZero(String s) {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double doubleOrZero(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The one SystemInfo of this collector (one per --once run; one for a daemon's life), for its
     * sensors: hwmon/thermal-zone files, or {@code vcgencmd} on a Raspberry Pi, no JNA.
     */
    /**
     * Whether any of the places OSHI's {@code LinuxSensors} reads a CPU temperature from exists: an hwmon
     * device, a thermal zone, or {@code vcgencmd} on the PATH (a Raspberry Pi). Without one (VMs, most
     * containers) the sensors are not even created: their set-up spawns {@code vcgencmd} to detect a Pi,
     * a process start on every timer run for nothing.
     */
    static boolean hasTemperatureSource() {
        if (hasEntries(HWMON) || hasEntries(THERMAL)) return true;
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "vcgencmd"))) return true;
        }
        return false;
    }

    /** Where OSHI's {@code LinuxSensors} looks (its {@code SysPath.HWMON} and {@code SysPath.THERMAL}). */
    static final String HWMON = "/sys/class/hwmon/";

    static final String THERMAL = "/sys/class/thermal/";

    /** /sys/class/net/, OSHI's {@code SysPath.NET}. */
    static final String NET = "/sys/class/net/";

    private static boolean hasEntries(String dir) {
        String[] names = new java.io.File(dir).list();
        return names != null && names.length > 0;
    }

    private Sensors sensors() {
        if (sensors == null) sensors = new SystemInfo().getHardware().getSensors();
        return sensors;
    }

    /**
     * MemTotal, MemAvailable, SwapTotal, SwapFree of /proc/meminfo, in bytes, as OSHI's
     * {@code LinuxGlobalMemory} and {@code LinuxVirtualMemory} read them (through OSHI's own key-value
     * reader and size parser; without MemAvailable, kernels before 3.14, available is MemFree +
     * Active(file) + Inactive(file) + SReclaimable as OSHI estimates it). Missing values are 0.
     */
    static long[] readMeminfo() {
        return meminfo(keyValues(lines("/proc/meminfo")));
    }

    /** "Key: value" lines as OSHI's {@code FileUtil.getKeyValueMapFromFile(path, ":")} maps them (value trimmed). */
    static Map<String, String> keyValues(List<String> lines) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0)
                m.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return m;
    }

    static long[] meminfo(Map<String, String> m) {
        long total = size(m, "MemTotal");
        long avail = m.containsKey("MemAvailable")
                ? size(m, "MemAvailable")
                : size(m, "MemFree") + size(m, "Active(file)") + size(m, "Inactive(file)") + size(m, "SReclaimable");
        return new long[] {total, avail, size(m, "SwapTotal"), size(m, "SwapFree")};
    }

    private static long size(Map<String, String> m, String key) {
        String v = m.get(key);
        return v == null ? 0 : bytes(v.trim());
    }

    /**
     * "24683756 kB" in bytes, as OSHI's {@code ParseUtil.parseDecimalMemorySizeToBinary}: the number times 2^10, 2^20,
     * 2^30 or 2^40 by the unit's first letter (K or k, M, G, T; /proc/meminfo's kB is KiB), the number alone
     * without a unit; 0 when there is no number.
     */
    static long bytes(String v) {
        String[] f = fields(v);
        if (f.length == 0) return 0;
        long n = longOrZero(f[0]);
        if (f.length < 2 || f[1].length() < 2) return n;
        return switch (f[1].charAt(0)) {
            case 'K', 'k' -> n << 10;
            case 'M' -> n << 20;
            case 'G' -> n << 30;
            case 'T' -> n << 40;
            default -> n;
        };
    }

    static final String[] MEMORY_BYTES = {
        "total_bytes", "available_bytes", "used_bytes", "swap_total_bytes", "swap_used_bytes"
    };

    static ObjectNode memory(long[] meminfo) {
        long total = meminfo[0];
        long avail = meminfo[1];
        long used = Math.max(0, total - avail);
        ObjectNode m = F.objectNode();
        m.put("memory_total_kb", total / 1024);
        m.put("memory_used_kb", used / 1024);
        m.put("memory_percent", total > 0 ? CpuTicks.round2(100.0 * used / total) : 0.0);
        return Payload.put(m, MEMORY_BYTES, total, avail, used, meminfo[2], Math.max(0, meminfo[2] - meminfo[3]));
    }

    static final String[] FS_SIZES = {"size_bytes", "used_bytes", "free_bytes", "available_bytes"};

    ObjectNode disk() {
        ArrayNode list = F.arrayNode();
        ObjectNode root = null;
        Set<String> seen = new HashSet<>();
        for (String line : lines("/proc/mounts")) {
            String[] f = line.split(" ");
            if (f.length < 3) continue;
            String device = unescape(f[0]);
            String mount = unescape(f[1]);
            String type = f[2];
            if (PSEUDO_FS.contains(type) || excludedMount(mount)) continue;
            String key = device.startsWith("/") ? device : type + ":" + mount;
            if (!seen.add(key)) continue;
            File m = new File(mount);
            long size = m.getTotalSpace();
            if (size <= 0) continue;
            long free = m.getFreeSpace();
            long avail = m.getUsableSpace();
            long used = Math.max(0, size - free);
            ObjectNode fs = list.addObject();
            fs.put("mountpoint", mount);
            fs.put("device", device);
            fs.put("fstype", type);
            Payload.put(fs, FS_SIZES, size, used, free, avail);
            fs.put("used_percent", used + avail > 0 ? CpuTicks.round2(100.0 * used / (used + avail)) : 0.0);
            if (mount.equals("/")) root = fs;
        }
        ObjectNode d = F.objectNode();
        // the original script's fields describe the root file system (df -k /)
        d.put("disk_total_kb", root == null ? 0 : root.path("size_bytes").asLong() / 1024);
        d.put("disk_used_kb", root == null ? 0 : root.path("used_bytes").asLong() / 1024);
        d.put("disk_percent", root == null ? 0.0 : root.path("used_percent").asDouble());
        d.set("filesystems", list);
        return d;
    }

    static final String[] NET_COUNTERS = {"rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "rx_errors", "tx_errors"};

    /** One interface's counters: what OSHI's {@code LinuxNetworkIF.updateAttributes} reads. */
    record Interface(
            String name, long rxBytes, long txBytes, long rxPackets, long txPackets, long rxErrors, long txErrors) {
        static Interface read(String name) {
            String stats = NET + name + "/statistics/";
            if (!new File(stats).isDirectory()) return new Interface(name, 0, 0, 0, 0, 0, 0);
            return new Interface(
                    name,
                    counter(stats + "rx_bytes"),
                    counter(stats + "tx_bytes"),
                    counter(stats + "rx_packets"),
                    counter(stats + "tx_packets"),
                    counter(stats + "rx_errors"),
                    counter(stats + "tx_errors"));
        }

        /** OSHI's {@code FileUtil.getUnsignedLongFromFile}: the file's first line as an unsigned counter, else 0. */
        private static long counter(String path) {
            return unsignedOrZero(firstLine(path).trim());
        }
    }

    /**
     * The interfaces OSHI's {@code getNetworkIFs(false)} lists, in its order: the JDK's, less the
     * "local" ones (no hardware address: loopback, tun), with their counters ({@link #procNetDev}, the same as
     * OSHI's /sys/class/net ones).
     */
    static List<Interface> interfaces() {
        Map<String, long[]> dev = procNetDev();
        List<Interface> list = new ArrayList<>();
        for (String name : interfaceNames()) list.add(counters(name, dev));
        return list;
    }

    /** One interface's counters from {@link #procNetDev}, or from /sys/class/net when it is not there. */
    static Interface counters(String name, Map<String, long[]> dev) {
        long[] c = dev.get(name);
        return c == null ? Interface.read(name) : new Interface(name, c[0], c[1], c[2], c[3], c[4], c[5]);
    }

    /**
     * Every interface's counters from /proc/net/dev, one file (the six files per interface of /sys/class/net, each
     * checked with access() by OSHI's reader, were ~40 system calls of a sample): received bytes, packets and
     * errors, sent bytes, packets and errors, the same dev_get_stats() fields as /sys/class/net/IF/statistics/
     * (the kernel's net/core/net-procfs.c). Empty when unreadable.
     */
    static Map<String, long[]> procNetDev() {
        return procNetDev(lines("/proc/net/dev"));
    }

    /** {@link #procNetDev()} of the file's lines. */
    static Map<String, long[]> procNetDev(List<String> lines) {
        Map<String, long[]> dev = new java.util.HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) continue; // the two header lines
            String[] f = fields(line.substring(colon + 1));
            if (f.length < 11) continue;
            dev.put(line.substring(0, colon).trim(), new long[] {
                unsignedOrZero(f[0]),
                unsignedOrZero(f[8]),
                unsignedOrZero(f[1]),
                unsignedOrZero(f[9]),
                unsignedOrZero(f[2]),
                unsignedOrZero(f[10])
            });
        }
        return dev;
    }

    /** The names of {@link #interfaces()}: the JDK's list, less those without a hardware address. */
    static List<String> interfaceNames() {
        List<String> names = new ArrayList<>();
        Enumeration<NetworkInterface> all;
        try {
            all = NetworkInterface.getNetworkInterfaces();
        } catch (SocketException e) {
            return names;
        }
        if (all == null) return names;
        for (NetworkInterface ni : Collections.list(all)) {
            boolean local;
            try {
                local = ni.getHardwareAddress() == null;
            } catch (SocketException e) {
                local = false; // as OSHI: an unreadable address does not make it local
            }
            if (!local) names.add(ni.getName());
        }
        return names;
    }

    /** How long a collector keeps its list of interfaces (the JDK's listing costs ~7 ms of an interpreted daemon's sample). */
    static final long INTERFACES_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private List<String> interfaceNames;
    private long interfacesAt;

    /**
     * {@link #interfaces()} for a collector that samples again and again (the daemon): the list of interfaces is
     * taken again once a minute, or at once when one of them has gone; their counters are read on every sample.
     * An interface that appears shows up within a minute.
     */
    List<Interface> currentInterfaces(long nowNanos) {
        Map<String, long[]> dev = procNetDev();
        if (interfaceNames != null && nowNanos - interfacesAt <= INTERFACES_MAX_AGE_NANOS) {
            List<Interface> list = new ArrayList<>(interfaceNames.size());
            for (String name : interfaceNames) {
                if (!dev.isEmpty() ? !dev.containsKey(name) : !new File(NET + name).isDirectory()) {
                    list = null; // gone: list again
                    break;
                }
                list.add(counters(name, dev));
            }
            if (list != null) return list;
        }
        interfaceNames = interfaceNames();
        interfacesAt = nowNanos;
        List<Interface> list = new ArrayList<>(interfaceNames.size());
        for (String name : interfaceNames) list.add(counters(name, dev));
        return list;
    }

    ObjectNode network(List<Interface> ifs, JsonNode prevNet, double elapsed) {
        ObjectNode n = F.objectNode();
        ArrayNode list = F.arrayNode();
        String primary = defaultRouteInterface();
        ObjectNode primaryNode = null;
        for (Interface i : ifs) {
            ObjectNode o = F.objectNode();
            o.put("name", i.name());
            Payload.put(
                    o,
                    NET_COUNTERS,
                    i.rxBytes(),
                    i.txBytes(),
                    i.rxPackets(),
                    i.txPackets(),
                    i.rxErrors(),
                    i.txErrors());
            JsonNode p = prevNet.get(i.name());
            boolean reset = false;
            for (String k : NET_COUNTERS)
                reset |= p != null
                        && NetworkRates.reset(p.path(k).asLong(), o.path(k).asLong());
            Long pr = p == null ? null : p.path("rx_bytes").asLong();
            Long pt = p == null ? null : p.path("tx_bytes").asLong();
            o.put("rx_bytes_per_second", NetworkRates.rate(pr, i.rxBytes(), elapsed));
            o.put("tx_bytes_per_second", NetworkRates.rate(pt, i.txBytes(), elapsed));
            o.put("counter_reset", reset);
            list.add(o);
            if (i.name().equals(primary)) primaryNode = o;
        }
        if (primaryNode == null && list.size() > 0) primaryNode = (ObjectNode) list.get(0);
        // the original script's fields describe the default-route interface
        n.put(
                "network_rx_bytes",
                primaryNode == null ? 0 : primaryNode.path("rx_bytes").asLong());
        n.put(
                "network_tx_bytes",
                primaryNode == null ? 0 : primaryNode.path("tx_bytes").asLong());
        n.put("interface", primaryNode == null ? "" : primaryNode.path("name").asText());
        n.set("interfaces", list);
        return n;
    }

    /** The interface of the IPv4 default route (/proc/net/route destination 00000000), or null. */
    static String defaultRouteInterface() {
        for (String line : lines("/proc/net/route")) {
            String[] f = fields(line);
            if (f.length > 2 && f[1].equals("00000000")) return f[0];
        }
        return null;
    }

    /** uname -m: /proc/sys/kernel/arch (Linux 5.x), else the JVM's os.arch. */
    static String machine() {
        String m = firstLine("/proc/sys/kernel/arch").strip();
        return m.isEmpty() ? System.getProperty("os.arch") : m; // the file is Linux 5.x+
    }

    static String archId(String machine) {
        try {
            return Arch.fromMachine(machine).id();
        } catch (RuntimeException e) {
            return machine.toLowerCase(Locale.ROOT);
        }
    }

    private static boolean octal(char c) {
        return c >= '0' && c <= '7';
    }

    /** /proc/self/mounts escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\'
                    && i + 4 <= s.length()
                    && octal(s.charAt(i + 1))
                    && octal(s.charAt(i + 2))
                    && octal(s.charAt(i + 3))) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
