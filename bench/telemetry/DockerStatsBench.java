import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import lib.docker.DockerClient;
import lib.telemetry.DockerCollector;
import lib.telemetry.TelemetryState;

/**
 * bench/telemetry (b): what one DockerCollector.collect costs in a warm JVM (a daemon's cycle) against the lab
 * daemon at DOCKER_HOST, with container usage from SOURCE (cgroup: the kernel's files, after the first collect
 * no inspect; api: every container's inspect and one-shot stats), over 7 collects 1.5 s apart: its wall time
 * (median), the CPU time of this process during it (all threads: ours, JIT, GC; mean, as the JVM
 * reads it in 10 ms clock ticks, whose truncation errors a mean cancels and a median does not), and the CPU
 * time it caused in the lab's dockerd, containerd and containerd shims (every process whose command
 * line names NODE_DIR, the lab node's state directory; the sum of /proc/PID/task/TID/schedstat run
 * times, in ns, plus the CPU of children they reaped, from /proc/PID/stat; mean).
 * Prints one line: N wall_ms wall_ms_per_container our_cpu_ms_per_container daemon_cpu_ms_per_container processes.
 * Run by bench/telemetry/run as: java -cp target/n0d3.jar bench/telemetry/DockerStatsBench.java N NODE_DIR [cgroup|api]
 */
public class DockerStatsBench {
    /** api: 7 collects 1.5 s apart (dockerd's stats collector idles 1 s after a request, as a sampler finds it); cgroup: 30, 0.3 s apart. */
    static int runs = 7;

    public static void main(String[] args) throws Exception {
        int expected = Integer.parseInt(args[0]);
        String nodeDir = args[1];
        DockerCollector.StatsSource source = DockerCollector.StatsSource.parse(args.length > 2 ? args[2] : "cgroup");
        boolean api = source == DockerCollector.StatsSource.API;
        runs = api ? 7 : 30;
        DockerCollector c = new DockerCollector(DockerClient.fromEnv(System.getenv()), source);
        TelemetryState state = TelemetryState.empty();
        var first = c.collect(state); // warm-up: class loading, JIT of the hot paths
        if (first.path("containers_total").asInt() != expected) {
            throw new IllegalStateException(
                    "expected " + expected + " containers, the daemon has " + first.path("containers_total"));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] wall = new double[runs];
        double[] ours = new double[runs];
        double[] daemon = new double[runs];
        int procs = 0;
        for (int i = 0; i < runs; i++) {
            // spaced as samples are spaced: more than dockerd's 1 s stats tick after the previous collect,
            // so its collector goroutine is idle again (waiting for a subscriber) when this one starts
            Thread.sleep(api ? 1500 : 300);
            List<Long> pids = daemonPids(nodeDir);
            procs = pids.size();
            long d0 = cpuNanos(pids);
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            c.collect(state);
            wall[i] = (System.nanoTime() - t0) / 1e6;
            ours[i] = (os.getProcessCpuTime() - c0) / 1e6;
            daemon[i] = (cpuNanos(pids) - d0) / 1e6;
        }
        System.out.printf(
                Locale.ROOT,
                "%d %.1f %.2f %.4f %.4f %d%n",
                expected,
                median(wall),
                median(wall) / expected,
                mean(ours) / expected,
                mean(daemon) / expected,
                procs);
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** dockerd, containerd and the shims of one lab node: every process whose command line names its directory. */
    static List<Long> daemonPids(String nodeDir) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> ps = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) ps::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    String comm = Files.readString(p.resolve("comm")).strip();
                    if (cmd.contains(nodeDir + "/") && (comm.equals("dockerd") || comm.startsWith("containerd")))
                        pids.add(Long.parseLong(name));
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        }
        if (pids.isEmpty()) throw new IllegalStateException("no dockerd/containerd process names " + nodeDir);
        return pids;
    }

    /** CPU ns of these processes: every thread's run time (schedstat) plus reaped children's utime+stime. */
    static long cpuNanos(List<Long> pids) {
        long hz = 100; // USER_HZ: the unit of /proc/PID/stat times on Linux
        long sum = 0;
        for (long pid : pids) {
            Path proc = Path.of("/proc", Long.toString(pid));
            try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        sum += Long.parseLong(
                                Files.readString(t.resolve("schedstat")).split(" ")[0]);
                    } catch (IOException gone) {
                        // thread exited
                    }
                }
                String stat = Files.readString(proc.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 1_000_000_000L / hz; // cutime + cstime
            } catch (IOException gone) {
                // process exited
            }
        }
        return sum;
    }
}
