package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import lib.host.Arch;
import oshi.SystemInfo;
import oshi.util.GlobalConfig;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;

/**
 * Host metrics for one sample, with ONE OSHI {@link SystemInfo} per run and only the parts that are
 * reported: network interfaces and sensors through its hardware layer, CPU ticks and uptime through
 * its /proc drivers. Deliberately not used, for start-up cost (measured, see bench/telemetry): OSHI's
 * CentralProcessor (processor identification costs ~180 ms), its GlobalMemory and OperatingSystem
 * (their initialisation loads JNA, runs ldconfig -p and uname -o) and its file-system API (runs
 * lsblk); load averages come from /proc/loadavg, memory from /proc/meminfo, file systems from
 * /proc/self/mounts with statvfs through the JDK.
 *
 * <p>Rates (CPU utilisation, bytes per second) are computed against the previous sample kept in the
 * {@link TelemetryState}: no run sleeps, and the first run reports load averages only.
 */
public final class HostCollector {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** node_exporter's default filesystem exclusions (fs types and mount points). */
    static final Set<String> PSEUDO_FS = Set.of("autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs",
            "devpts", "devtmpfs", "fusectl", "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc", "procfs", "pstore",
            "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tracefs", "efivarfs", "ramfs", "fuse.lxcfs");
    static final Pattern EXCLUDED_MOUNTS = Pattern.compile("^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/).*");

    private final Path proc;
    private HardwareAbstractionLayer hal;

    public HostCollector() {
        this(Path.of("/proc"));
    }

    HostCollector(Path proc) {
        this.proc = proc;
    }

    /** Everything host-side of the payload, keyed as in the payload (cpu, memory, disk, network, host). */
    public record Result(ObjectNode cpu, ObjectNode memory, ObjectNode disk, ObjectNode network, String hostname,
                         String architecture, String machine, long uptimeSeconds, Double cpuTemperature,
                         CpuTicks ticks) {}

    public Result collect(TelemetryState state, long nowMillis) {
        ObjectNode prev = state.section("host");
        long prevMillis = prev.path("time_ms").asLong(0);
        double elapsed = prevMillis > 0 && nowMillis > prevMillis ? (nowMillis - prevMillis) / 1000.0 : 0;

        HardwareAbstractionLayer hal = hardware();

        CpuTicks ticks = new CpuTicks(oshi.driver.linux.proc.CpuStat.getSystemCpuLoadTicks());
        ObjectNode cpu = cpu(ticks, CpuTicks.fromJson(prev.get("cpu_ticks")), readLoad());
        ObjectNode memory = memory(readMeminfo());
        ObjectNode disk = disk();
        ObjectNode network = network(hal.getNetworkIFs(false), prev.path("net"), elapsed);
        long uptime = (long) oshi.driver.linux.proc.UpTime.getSystemUptimeSeconds();
        Double temp = null;
        double t = hal.getSensors().getCpuTemperature();
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
        String machine = machine();
        return new Result(cpu, memory, disk, network, hostname(), archId(machine), machine, uptime, temp, ticks);
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
        for (int i = 0; i < CpuTicks.MODES.length; i++) s.put(CpuTicks.MODES[i], (double) ticks.ticks()[i] / CpuTicks.USER_HZ);
        return cpu;
    }

    double[] readLoad() {
        try {
            String[] f = Files.readString(proc.resolve("loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0, 0};
        }
    }

    /** The one SystemInfo of this collector (one per --once run; one for a daemon's life). */
    private HardwareAbstractionLayer hardware() {
        if (hal == null) {
            // udev through JNA is only OSHI's way to name devices; /sys gives the counters we report
            GlobalConfig.set("oshi.os.linux.allowudev", false);
            hal = new SystemInfo().getHardware();
        }
        return hal;
    }

    /**
     * MemTotal, MemAvailable, SwapTotal, SwapFree of /proc/meminfo, in bytes: what OSHI's GlobalMemory
     * reports, without its LinuxOperatingSystem initialisation (JNA, ldconfig, uname subprocesses).
     */
    long[] readMeminfo() {
        long[] v = new long[4];
        String[] keys = {"MemTotal:", "MemAvailable:", "SwapTotal:", "SwapFree:"};
        try {
            for (String line : Files.readAllLines(proc.resolve("meminfo"), StandardCharsets.US_ASCII)) {
                for (int i = 0; i < keys.length; i++) {
                    if (line.startsWith(keys[i])) {
                        String[] f = line.substring(keys[i].length()).trim().split("\\s+");
                        v[i] = Long.parseLong(f[0]) * (f.length > 1 && f[1].equalsIgnoreCase("kB") ? 1024 : 1);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // leave zeros: the schema still holds, and the next sample will have them
        }
        return v;
    }

    static ObjectNode memory(long[] meminfo) {
        long total = meminfo[0];
        long avail = meminfo[1];
        long used = Math.max(0, total - avail);
        ObjectNode m = F.objectNode();
        m.put("memory_total_kb", total / 1024);
        m.put("memory_used_kb", used / 1024);
        m.put("memory_percent", total > 0 ? CpuTicks.round2(100.0 * used / total) : 0.0);
        m.put("total_bytes", total);
        m.put("available_bytes", avail);
        m.put("used_bytes", used);
        m.put("swap_total_bytes", meminfo[2]);
        m.put("swap_used_bytes", Math.max(0, meminfo[2] - meminfo[3]));
        return m;
    }

    ObjectNode disk() {
        ArrayNode list = F.arrayNode();
        ObjectNode root = null;
        Set<String> seen = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve("self/mounts"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            lines = List.of();
        }
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 3) continue;
            String device = unescape(f[0]);
            String mount = unescape(f[1]);
            String type = f[2];
            if (PSEUDO_FS.contains(type) || EXCLUDED_MOUNTS.matcher(mount).matches()) continue;
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
            fs.put("size_bytes", size);
            fs.put("used_bytes", used);
            fs.put("free_bytes", free);
            fs.put("available_bytes", avail);
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

    ObjectNode network(List<NetworkIF> ifs, JsonNode prevNet, double elapsed) {
        ObjectNode n = F.objectNode();
        ArrayNode list = F.arrayNode();
        String primary = defaultRouteInterface();
        ObjectNode primaryNode = null;
        for (NetworkIF i : ifs) {
            ObjectNode o = F.objectNode();
            o.put("name", i.getName());
            o.put("rx_bytes", i.getBytesRecv());
            o.put("tx_bytes", i.getBytesSent());
            o.put("rx_packets", i.getPacketsRecv());
            o.put("tx_packets", i.getPacketsSent());
            o.put("rx_errors", i.getInErrors());
            o.put("tx_errors", i.getOutErrors());
            JsonNode p = prevNet.get(i.getName());
            boolean reset = false;
            for (String k : NET_COUNTERS) reset |= p != null && NetworkRates.reset(p.path(k).asLong(), o.path(k).asLong());
            Long pr = p == null ? null : p.path("rx_bytes").asLong();
            Long pt = p == null ? null : p.path("tx_bytes").asLong();
            o.put("rx_bytes_per_second", NetworkRates.rate(pr, i.getBytesRecv(), elapsed));
            o.put("tx_bytes_per_second", NetworkRates.rate(pt, i.getBytesSent(), elapsed));
            o.put("counter_reset", reset);
            list.add(o);
            if (i.getName().equals(primary)) primaryNode = o;
        }
        if (primaryNode == null && list.size() > 0) primaryNode = (ObjectNode) list.get(0);
        // the original script's fields describe the default-route interface
        n.put("network_rx_bytes", primaryNode == null ? 0 : primaryNode.path("rx_bytes").asLong());
        n.put("network_tx_bytes", primaryNode == null ? 0 : primaryNode.path("tx_bytes").asLong());
        n.put("interface", primaryNode == null ? "" : primaryNode.path("name").asText());
        n.set("interfaces", list);
        return n;
    }

    /** The interface of the IPv4 default route (/proc/net/route destination 00000000), or null. */
    String defaultRouteInterface() {
        try {
            for (String line : Files.readAllLines(proc.resolve("net/route"), StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && f[1].equals("00000000")) return f[0];
            }
        } catch (IOException e) {
            // no IPv4 routing table: no primary interface
        }
        return null;
    }

    String hostname() {
        try {
            String h = Files.readString(proc.resolve("sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!h.isEmpty()) return h;
        } catch (IOException e) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** uname -m: /proc/sys/kernel/arch (Linux 5.x), else the JVM's os.arch. */
    String machine() {
        try {
            String m = Files.readString(proc.resolve("sys/kernel/arch"), StandardCharsets.US_ASCII).strip();
            if (!m.isEmpty()) return m;
        } catch (IOException e) {
            // older kernel
        }
        return System.getProperty("os.arch");
    }

    static String archId(String machine) {
        try {
            return Arch.fromMachine(machine).id();
        } catch (RuntimeException e) {
            return machine.toLowerCase(Locale.ROOT);
        }
    }

    /** /proc/self/mounts escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
