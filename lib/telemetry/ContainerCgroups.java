package lib.telemetry;

/**
 * Container CPU, memory, block IO, pids and network read from the kernel, as cAdvisor and Netdata read them:
 * the cgroup files of the container's main process ({@code /proc/PID/cgroup}, PID being the Engine API's
 * {@code State.Pid}) and its network namespace's {@code /proc/PID/net/dev}; cgroup v1 and v2, either cgroup
 * driver. A cgroup that resolves to the root of its hierarchy, or whose path does not name the container, is
 * refused: the caller then asks the Engine API. Which file gives which figure: docs/decisions/cgroup-reading.md.
 */
public final class ContainerCgroups {
    /** USER_HZ, the unit of /proc/stat and cpuacct.stat (sysconf(_SC_CLK_TCK), 100 on Linux). */
    static final long NANOS_PER_TICK = 1_000_000_000L / CpuTicks.USER_HZ;

    /**
     * Where one container's figures are: one directory per v1 controller (null when not mounted), or the v2 one.
     * {@code path} is the cgroup path that all of them are, as {@code /proc/PID/cgroup} gives it ("/docker/ID"), or
     * null when the v1 controllers' paths differ: a timer run keeps it in its state for the next run
     * ({@link #at}), which then reads no {@code /proc/PID/cgroup} for the same main process.
     */
    public record Dirs(boolean v2, String cpu, String memory, String blkio, String pids, String path) {}

    private final KernelFiles files;
    private CgroupMounts mounts;
    private long memTotal = -1;

    public ContainerCgroups(KernelFiles files) {
        this.files = files;
    }

    /** This host's mount table, read once per instance (once per --once run; a daemon re-reads it with {@link #refresh}). */
    public CgroupMounts mounts() {
        if (mounts == null) mounts = CgroupMounts.read(files);
        return mounts;
    }

    /** For a long-lived reader (the daemon): the files read stay open between samples ({@link KernelFiles#keepOpen}). */
    public ContainerCgroups keepFilesOpen() {
        files.keepOpen();
        return this;
    }

    /** Closes the kept files that the last sample did not read (those of containers that went). */
    public void closeUnread() {
        files.closeUnread();
    }

    /** Forgets what was read once per run: the mount table and the host's memory. */
    public void refresh() {
        mounts = null;
        memTotal = -1;
    }

    /**
     * The cgroup directories of process {@code pid}, which must be container {@code containerId}'s (its full
     * id appears in the cgroup path with every Docker cgroup driver); null when they cannot be found.
     */
    public Dirs resolve(long pid, String containerId) {
        String text = files.text("/proc/" + pid + "/cgroup");
        if (text == null) return null;
        CgroupMounts m = mounts();
        if (m.version() == CgroupMounts.Version.NONE) return null;
        String v2Path = null;
        String cpu = null;
        String memory = null;
        String blkio = null;
        String pids = null;
        for (String line : text.split("\n")) {
            int a = line.indexOf(':');
            int b = a < 0 ? -1 : line.indexOf(':', a + 1);
            if (b < 0) continue;
            String controllers = line.substring(a + 1, b);
            String path = line.substring(b + 1);
            if (a == 1 && line.charAt(0) == '0' && controllers.isEmpty()) {
                v2Path = path;
                continue;
            }
            for (String c : controllers.split(",")) {
                switch (c) {
                    case "cpuacct" -> cpu = path;
                    case "memory" -> memory = path;
                    case "blkio" -> blkio = path;
                    case "pids" -> pids = path;
                    default -> {}
                }
            }
        }
        if (m.version() == CgroupMounts.Version.V2) return at(m, v2Path, v2Path, v2Path, v2Path, true, containerId);
        return at(m, cpu, memory, blkio, pids, false, containerId);
    }

    /**
     * The directories of the cgroup {@code path} that an earlier sample {@link #resolve resolved} for container
     * {@code containerId} ({@link Dirs#path}), on the same boot and for the same main process, in this host's
     * hierarchies (v1 or v2, as mounted now); null when they do not hold it as the container's.
     */
    public Dirs at(String path, String containerId) {
        CgroupMounts m = mounts();
        if (path == null || m.version() == CgroupMounts.Version.NONE) return null;
        return at(m, path, path, path, path, m.version() == CgroupMounts.Version.V2, containerId);
    }

    /** From each controller's cgroup path: the directories, checked (the container's, not a mount's root). */
    private static Dirs at(
            CgroupMounts m, String cpu, String memory, String blkio, String pids, boolean v2, String containerId) {
        Dirs d;
        if (v2) {
            String dir = m.dir(null, cpu);
            if (dir == null || !cpu.contains(containerId)) return null;
            d = new Dirs(true, dir, dir, dir, dir, cpu);
        } else {
            String cpuDir = m.dir("cpuacct", cpu);
            if (cpuDir == null || !cpuDir.contains(containerId)) return null;
            // a controller this host does not mount has no line: null there, and null again from the kept path
            boolean same = sameOrNone(cpu, memory) && sameOrNone(cpu, blkio) && sameOrNone(cpu, pids);
            d = new Dirs(
                    false,
                    cpuDir,
                    m.dir("memory", memory),
                    m.dir("blkio", blkio),
                    m.dir("pids", pids),
                    same ? cpu : null);
        }
        for (String dir : new String[] {d.cpu(), d.memory(), d.blkio(), d.pids()}) {
            if (dir != null && m.isMountRoot(dir)) return null; // the root cgroup: never its v1 memory.stat
        }
        return d;
    }

    private static boolean sameOrNone(String path, String other) {
        return other == null || other.equals(path);
    }

    /** The figures in {@code d}, for process {@code pid}; null when even the CPU time cannot be read. */
    public ContainerUsage read(Dirs d, long pid, boolean hostNetwork, long systemNanos, int onlineCpus) {
        Long cpu;
        Long mem = null;
        Long limit = null;
        long[] io = null;
        Long pidsNow = null;
        if (d.v2()) {
            Long usec = files.keyed(d.cpu() + "/cpu.stat", "usage_usec");
            cpu = usec == null ? null : usec * 1000;
            if (cpu == null) return null;
            Long current = files.number(d.memory() + "/memory.current");
            if (current != null) {
                mem = withoutInactiveFile(current, files.keyed(d.memory() + "/memory.stat", "inactive_file"));
                limit = limit(files.number(d.memory() + "/memory.max")); // "max" reads as null: no limit
            }
            io = ioStat(d.blkio() + "/io.stat");
        } else {
            cpu = files.number(d.cpu() + "/cpuacct.usage");
            if (cpu == null) {
                Long user = files.keyed(d.cpu() + "/cpuacct.stat", "user");
                Long system = user == null ? null : files.keyedInBuffer("system");
                if (system == null) return null;
                cpu = (user + system) * NANOS_PER_TICK;
            }
            if (d.memory() != null) {
                Long usage = files.number(d.memory() + "/memory.usage_in_bytes");
                if (usage != null) {
                    mem = withoutInactiveFile(usage, files.keyed(d.memory() + "/memory.stat", "total_inactive_file"));
                    limit = limit(files.number(d.memory() + "/memory.limit_in_bytes"));
                }
            }
            if (d.blkio() != null) io = blkio(d.blkio() + "/blkio.throttle.io_service_bytes_recursive");
        }
        if (d.pids() != null) pidsNow = files.number(d.pids() + "/pids.current");
        long[] net = hostNetwork ? null : netDev(pid);
        return new ContainerUsage(
                cpu,
                systemNanos,
                onlineCpus,
                mem,
                limit,
                io == null ? null : io[0],
                io == null ? null : io[1],
                pidsNow,
                net == null ? null : net[0],
                net == null ? null : net[1]);
    }

    /** docker stats' "usage without cache": inactive file pages are reclaimable at once. */
    static long withoutInactiveFile(long usage, Long inactiveFile) {
        return inactiveFile != null && inactiveFile < usage ? usage - inactiveFile : usage;
    }

    /** A limit above the host's memory (v1's "no limit" is 2^63 rounded down to a page) is the host's memory. */
    private Long limit(Long raw) {
        long host = memTotal();
        if (raw == null || (raw > host && host > 0)) return host > 0 ? host : null;
        return raw;
    }

    /** v1 blkio "MAJ:MIN Op bytes" lines (and a final "Total N"): Read and Write summed over devices; null when unreadable. */
    long[] blkio(String path) {
        return perDevice(path, false);
    }

    /** v2 io.stat "MAJ:MIN rbytes=N wbytes=N rios=N ..." lines: rbytes and wbytes summed; null when unreadable. */
    long[] ioStat(String path) {
        return perDevice(path, true);
    }

    /** Read and written bytes summed over the per-device lines of a v1 blkio or a v2 io.stat file; null when unreadable. */
    private long[] perDevice(String path, boolean ioStat) {
        if (!files.load(path)) return null;
        long[] rw = new long[2];
        int i = 0;
        int n = files.length();
        while (i < n) {
            int eol = files.eol(i);
            int k = files.skipBlanks(files.word(i)); // past the device
            if (ioStat) {
                while (k < eol) {
                    int end = files.word(k);
                    if (files.startsWith(k, "rbytes=")) rw[0] += nonNull(files.parse(k + 7));
                    else if (files.startsWith(k, "wbytes=")) rw[1] += nonNull(files.parse(k + 7));
                    k = files.skipBlanks(end);
                }
            } else {
                int opEnd = files.word(k);
                int which = files.startsWith(k, "Read") && opEnd - k == 4
                        ? 0
                        : files.startsWith(k, "Write") && opEnd - k == 5 ? 1 : -1;
                if (which >= 0) rw[which] += nonNull(files.parse(opEnd));
            }
            i = eol + 1;
        }
        return rw;
    }

    private static long nonNull(Long v) {
        return v == null ? 0 : v;
    }

    /** Received and sent bytes over every interface but lo of the network namespace of {@code pid}; null when unreadable. */
    long[] netDev(long pid) {
        if (!files.load("/proc/" + pid + "/net/dev")) return null;
        long[] rxTx = new long[2];
        int i = 0;
        int n = files.length();
        int line = 0;
        while (i < n) {
            int eol = files.eol(i);
            if (line++ >= 2) { // two header lines
                int name = files.skipBlanks(i);
                int colon = files.indexOf((byte) ':', name, eol);
                if (colon < eol && !(colon - name == 2 && files.startsWith(name, "lo"))) {
                    // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes ...
                    int k = colon + 1;
                    for (int field = 0; field < 9 && k < eol; field++) {
                        k = files.skipBlanks(k);
                        if (field == 0) rxTx[0] += nonNull(files.parse(k));
                        if (field == 8) rxTx[1] += nonNull(files.parse(k));
                        k = files.word(k);
                    }
                }
            }
            i = eol + 1;
        }
        return rxTx;
    }

    /** The host's CPU time as docker stats counts it: user..softirq (the first 7 fields of /proc/stat's cpu line), in ns; -1 when unreadable. */
    public long systemCpuNanos() {
        if (!files.load("/proc/stat") || !files.startsWith(0, "cpu ")) return -1;
        long ticks = 0;
        int k = 4;
        for (int field = 0; field < 7; field++) {
            k = files.skipBlanks(k);
            Long v = files.parse(k);
            if (v == null) return -1;
            ticks += v;
            k = files.word(k);
        }
        return ticks * NANOS_PER_TICK;
    }

    /** CPUs online, from /sys/devices/system/cpu/online ("0-3,6"); 0 when unreadable. */
    public int onlineCpus() {
        String s = files.text("/sys/devices/system/cpu/online");
        if (s == null) return 0;
        int count = 0;
        for (String range : s.strip().split(",")) {
            if (range.isEmpty()) continue;
            int dash = range.indexOf('-');
            try {
                count += dash < 0
                        ? 1
                        : Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return count;
    }

    /** MemTotal in bytes (dockerd's "machine memory"), 0 when unreadable. */
    long memTotal() {
        if (memTotal < 0) {
            Long kb = files.keyed("/proc/meminfo", "MemTotal:");
            memTotal = kb == null ? 0 : kb * 1024;
        }
        return memTotal;
    }

    /** This boot's id (/proc/sys/kernel/random/boot_id), or "" when unreadable. */
    public String bootId() {
        String s = files.text("/proc/sys/kernel/random/boot_id");
        return s == null ? "" : s.strip();
    }

    /** When {@code pid} started, in ticks since boot (field 22 of /proc/PID/stat), or -1 when it does not exist. */
    public long processStart(long pid) {
        if (pid <= 0 || !files.load("/proc/" + pid + "/stat")) return -1;
        int close = files.lastIndexOf((byte) ')'); // the command name may hold spaces and parentheses
        if (close < 0) return -1;
        int k = close + 1;
        for (int field = 3; field < 22; field++) { // after ")": field 3 (state) ... field 22 (starttime)
            k = files.word(files.skipBlanks(k));
        }
        Long v = files.parse(files.skipBlanks(k));
        return v == null ? -1 : v;
    }

    /** True when the memory controller is available to containers here (off by default on Raspberry Pi OS). */
    public boolean memoryControllerOn() {
        CgroupMounts m = mounts();
        if (m.version() == CgroupMounts.Version.V1) return m.hasV1("memory");
        if (m.version() != CgroupMounts.Version.V2) return false;
        String controllers = files.text(m.v2Mountpoint() + "/cgroup.controllers");
        return controllers != null && (" " + controllers.strip() + " ").contains(" memory ");
    }
}
