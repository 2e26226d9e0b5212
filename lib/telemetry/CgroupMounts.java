package lib.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where this host's cgroup hierarchies are mounted, from {@code /proc/self/mountinfo}: the cgroup v1 mount of
 * each controller ({@code cpuacct}, {@code memory}, {@code blkio}, {@code pids}) or the cgroup2 mount. A hybrid
 * host counts as v1, as Docker treats it; a mount hidden by a later one is not counted. {@link #dir} turns a
 * process's cgroup path into the directory that holds its files. See docs/decisions/cgroup-reading.md.
 *
 * @param v1 the v1 mount of each controller (empty on a v2 host)
 * @param v2 the cgroup2 mount, or null
 */
public record CgroupMounts(Version version, Map<String, Mount> v1, Mount v2) {
    /** The controllers the container stats read. */
    static final List<String> V1_CONTROLLERS = List.of("cpuacct", "memory", "blkio", "pids", "cpu");

    public enum Version {
        V1,
        V2,
        NONE
    }

    /** One mount: its root within the hierarchy and its mount point (both unescaped). */
    public record Mount(String root, String mountpoint, String fstype, List<String> options) {}

    public static CgroupMounts read(KernelFiles files) {
        String text = files.text("/proc/self/mountinfo");
        return parse(text == null ? List.of() : List.of(text.split("\n")));
    }

    /** From mountinfo lines: "36 35 98:0 /root /mountpoint rw,noatime shared:1 - cgroup cgroup rw,cpu,cpuacct". */
    public static CgroupMounts parse(List<String> mountinfo) {
        List<Mount> visible = new ArrayList<>();
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 1 >= f.length) continue;
            String mountpoint = HostCollector.unescape(f[4]);
            // a later mount on this directory or a parent hides what was mounted there before
            String below = mountpoint.equals("/") ? "/" : mountpoint + "/";
            for (java.util.Iterator<Mount> it = visible.iterator(); it.hasNext(); ) {
                String at = it.next().mountpoint();
                if (at.equals(mountpoint) || at.startsWith(below)) it.remove();
            }
            String fstype = f[dash + 1];
            if (!fstype.equals("cgroup") && !fstype.equals("cgroup2")) continue;
            List<String> options = dash + 3 < f.length ? List.of(f[dash + 3].split(",")) : List.of();
            visible.add(new Mount(HostCollector.unescape(f[3]), mountpoint, fstype, options));
        }
        Map<String, Mount> v1 = new HashMap<>();
        Mount v2 = null;
        for (Mount m : visible) {
            if (m.fstype().equals("cgroup")) {
                for (String c : V1_CONTROLLERS) {
                    if (m.options().contains(c)) v1.putIfAbsent(c, m);
                }
            } else if (v2 == null || m.mountpoint().equals("/sys/fs/cgroup")) {
                v2 = m;
            }
        }
        Version v = !v1.isEmpty() ? Version.V1 : v2 != null ? Version.V2 : Version.NONE;
        return new CgroupMounts(v, v1, v2);
    }

    /** True when the v1 controller is mounted (always false on a v2 host). */
    public boolean hasV1(String controller) {
        return v1.containsKey(controller);
    }

    /** The cgroup2 mount point, or null. */
    public String v2Mountpoint() {
        return v2 == null ? null : v2.mountpoint();
    }

    /**
     * The directory of {@code cgroupPath} in the v1 hierarchy of {@code controller}, or in the cgroup2
     * hierarchy when {@code controller} is null; null when that hierarchy is not mounted or the path is not
     * below the mount's root (another cgroup namespace's view).
     */
    public String dir(String controller, String cgroupPath) {
        Mount m = controller == null ? v2 : v1.get(controller);
        if (m == null || cgroupPath == null || !cgroupPath.startsWith("/")) return null;
        String rel;
        if (m.root().equals("/")) {
            rel = cgroupPath;
        } else if (cgroupPath.equals(m.root())) {
            rel = "/";
        } else if (cgroupPath.startsWith(m.root() + "/")) {
            rel = cgroupPath.substring(m.root().length());
        } else {
            return null;
        }
        return rel.equals("/") ? m.mountpoint() : m.mountpoint().equals("/") ? rel : m.mountpoint() + rel;
    }

    /** True when {@code dir} is the top of its hierarchy's mount (the root cgroup, as this host sees it). */
    public boolean isMountRoot(String dir) {
        if (v2 != null && dir.equals(v2.mountpoint())) return true;
        for (Mount m : v1.values()) {
            if (dir.equals(m.mountpoint())) return true;
        }
        return false;
    }
}
