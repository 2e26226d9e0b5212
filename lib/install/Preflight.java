package lib.install;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import lib.cli.N0d3Exception;
import lib.config.Codex;
import lib.host.Distro;
import lib.host.HostFacts;

/**
 * Phase 1: can this host be a node? Architecture and distro family (hard errors, exit 2, before anything
 * is written), the memory cgroup (exit 3, with the Raspberry Pi cmdline hint), CPU, memory and free disk
 * against {@code resources.minimum} (exit 3) and {@code resources.recommended} (a warning), the
 * management node's reachability and the clock (warnings). Changes nothing.
 */
public final class Preflight extends Phase {
    /** A clock before this is certainly wrong (no RTC, no NTP yet): TLS and swarm certificates would fail. */
    static final Instant SANE_CLOCK = Instant.parse("2025-01-01T00:00:00Z");

    public Preflight() {
        super("preflight", "Preflight checks");
    }

    @Override
    public void validate(InstallContext ctx) {
        HostFacts f = ctx.facts();
        if (f.archError() != null) throw N0d3Exception.usage(f.archError());
        if (f.distro().family() == Distro.Family.UNKNOWN && ctx.options().forceDistro() == null) {
            throw N0d3Exception.usage(unknownDistro(f));
        }
    }

    static String unknownDistro(HostFacts f) {
        var os = f.osRelease();
        String facts = "ID=" + show(os.get("ID")) + " ID_LIKE=" + show(os.get("ID_LIKE")) + " VERSION_ID="
                + show(os.get("VERSION_ID")) + " PRETTY_NAME=" + show(os.get("PRETTY_NAME"));
        return "unsupported distribution (" + facts
                + "): expected the Debian (Debian, Ubuntu, Raspberry Pi OS, Mint, Pop!_OS), "
                + "Fedora (Fedora, RHEL, Rocky) or Alpine family; if this one is one of them underneath, run again with "
                + "--force-distro debian|fedora|alpine";
    }

    private static String show(String v) {
        return v == null || v.isEmpty() ? "(none)" : "'" + v + "'";
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        HostFacts f = ctx.facts();
        Distro d = f.distro();
        String via = d.family() == Distro.Family.UNKNOWN
                ? "forced with --force-distro " + ctx.family().name().toLowerCase(Locale.ROOT)
                : "ID=" + d.id()
                        + (f.osRelease().idLike().isEmpty()
                                ? ""
                                : ", ID_LIKE=" + String.join(" ", f.osRelease().idLike()));
        p.note(f.arch() + " (" + f.machine() + "), " + d.prettyName() + ": "
                + ctx.family().name().toLowerCase(Locale.ROOT)
                + " family (" + via + "), packages with " + ctx.family().packageManager()
                + (d.codename().isEmpty() ? "" : ", codename " + d.codename()));
        p.note("init system: " + f.initSystem()
                + (f.container().isEmpty() ? "" : ", in a " + f.container() + " container") + (f.wsl() ? ", WSL" : ""));
        memoryCgroup(ctx, p);
        resources(ctx, p);
        management(ctx, p);
        clock(ctx, p);
        return p;
    }

    /** cgroup v2: "memory" in /sys/fs/cgroup/cgroup.controllers; v1: the memory line of /proc/cgroups enabled. */
    static void memoryCgroup(InstallContext ctx, PhasePlan p) {
        Path live = ctx.live();
        String v2 = read(live.resolve("sys/fs/cgroup/cgroup.controllers"));
        if (v2 != null && (" " + v2.strip() + " ").contains(" memory ")) {
            p.note("memory cgroup: present (cgroup v2)");
            return;
        }
        String v1 = read(live.resolve("proc/cgroups"));
        if (v1 != null) {
            for (String line : v1.split("\n")) {
                String[] cols = line.strip().split("\\s+");
                if (cols.length >= 4 && cols[0].equals("memory") && cols[3].equals("1")) {
                    p.note("memory cgroup: present (cgroup v1)");
                    return;
                }
            }
        }
        String hint = raspberryPi(ctx)
                ? ": on a Raspberry Pi add 'cgroup_enable=memory cgroup_memory=1' to the single line of /boot/firmware/cmdline.txt"
                        + " (/boot/cmdline.txt before Bookworm) and reboot"
                : ": enable it on the kernel command line (cgroup_enable=memory) and reboot";
        throw N0d3Exception.unexpectedState(
                "the memory cgroup is not available, so Docker cannot limit container memory" + hint);
    }

    static boolean raspberryPi(InstallContext ctx) {
        String model = read(ctx.live().resolve("proc/device-tree/model"));
        return (model != null && model.contains("Raspberry Pi"))
                || "raspbian".equals(ctx.facts().distro().id());
    }

    static void resources(InstallContext ctx, PhasePlan p) {
        Codex.Resources r = ctx.settings().codex().resources();
        Codex.ResourceProfile min = r == null ? null : r.minimum();
        Codex.ResourceProfile rec = r == null ? null : r.recommended();
        int cores = Runtime.getRuntime().availableProcessors();
        long memMb = memTotalMb(ctx.live());
        Path varLib = nearestExisting(ctx.root().resolve("/var/lib"));
        double diskGb = freeGb(varLib);
        p.note(String.format(
                Locale.ROOT,
                "resources: %d CPU cores, %d MiB memory, %.1f GiB free under %s",
                cores,
                memMb,
                diskGb,
                varLib));
        if (min != null) {
            StringBuilder below = new StringBuilder();
            if (min.cpuCores() != null && cores < min.cpuCores())
                below.append(", ").append(cores).append(" CPU cores < ").append(num(min.cpuCores()));
            if (min.memoryMb() != null && memMb >= 0 && memMb < min.memoryMb())
                below.append(", ").append(memMb).append(" MiB memory < ").append(min.memoryMb());
            if (min.diskGb() != null && diskGb < min.diskGb())
                below.append(String.format(Locale.ROOT, ", %.1f GiB free disk < %s", diskGb, num(min.diskGb())));
            if (below.length() > 0) {
                throw N0d3Exception.unexpectedState("this host is below resources.minimum of "
                        + ctx.settings().describeSource() + ": " + below.substring(2));
            }
        }
        if (rec != null) {
            if (rec.cpuCores() != null && cores < rec.cpuCores())
                p.warn(cores + " CPU cores, below the recommended " + num(rec.cpuCores()));
            if (rec.memoryMb() != null && memMb >= 0 && memMb < rec.memoryMb())
                p.warn(memMb + " MiB memory, below the recommended " + rec.memoryMb());
            if (rec.diskGb() != null && diskGb < rec.diskGb())
                p.warn(String.format(
                        Locale.ROOT, "%.1f GiB free disk, below the recommended %s", diskGb, num(rec.diskGb())));
        }
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    static long memTotalMb(Path live) {
        String m = read(live.resolve("proc/meminfo"));
        if (m == null) return -1;
        for (String line : m.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] cols = line.substring(9).strip().split("\\s+");
                return Long.parseLong(cols[0]) / 1024;
            }
        }
        return -1;
    }

    static Path nearestExisting(Path p) {
        Path q = p;
        while (q != null && !Files.exists(q)) q = q.getParent();
        return q == null ? Path.of("/") : q;
    }

    static double freeGb(Path p) {
        try {
            FileStore fs = Files.getFileStore(p);
            return fs.getUsableSpace() / (1024.0 * 1024 * 1024);
        } catch (IOException e) {
            return Double.MAX_VALUE;
        }
    }

    /** A TCP connection to the management node's port within the configured timeout; a failure is a warning. */
    static void management(InstallContext ctx, PhasePlan p) {
        Optional<URI> url = ctx.settings().mgmtUrl();
        if (url.isEmpty()) {
            p.note("management node: not configured (standalone; set MGMT_NODE_URL or management.api_endpoint)");
            return;
        }
        URI u = url.get();
        int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
        Duration t = ctx.settings().mgmtTimeout() == null
                ? Duration.ofSeconds(10)
                : ctx.settings().mgmtTimeout();
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), (int) Math.min(Integer.MAX_VALUE, t.toMillis()));
            p.note("management node " + u + ": reachable (TCP " + port + " in " + (System.nanoTime() - t0) / 1_000_000
                    + " ms)");
        } catch (IOException e) {
            p.warn("management node " + u + " is not reachable (TCP " + port + ": " + e.getMessage()
                    + "): registration will "
                    + (ctx.options().requireRegistration() ? "fail" : "be skipped with a warning"));
        }
    }

    static void clock(InstallContext ctx, PhasePlan p) {
        Instant now = ctx.now();
        if (now.isBefore(SANE_CLOCK)) {
            throw N0d3Exception.unexpectedState("the clock reads " + now
                    + ": TLS and swarm certificates will fail; set the time (NTP) and run again");
        }
        p.note("clock: " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
