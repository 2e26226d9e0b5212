package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * After {@code lab.sh down} nothing of the lab remains. Checked here from the outside (/proc,
 * /proc/self/mountinfo, ip netns, ip link, iptables -S FORWARD, the registry port), not by
 * trusting lab.sh check-clean, after giving the teardown real work: a swarm (its ingress namespace
 * mounts), a container whose PID 1 ignores SIGTERM, a process left running inside a node's namespaces,
 * the registry and the host daemon.
 */
@Tag("lab")
class LabTeardownTest {
    private static final ProcessRunner RUN = new ProcessRunner();

    @Test
    void downLeavesNoProcessMountNamespaceLinkOrIptablesRuleBehind() throws Exception {
        Lab lab = Lab.start(LabOptions.nodes(2, LabTeardownTest.class)
                .withRegistry()
                .withHostDaemon()
                .withBusybox());
        int id = lab.id();
        Path dir = lab.dir();
        int registryPort = 5000 + id;
        List<ProcessHandle> before;
        java.util.Map<Long, String> seen = new java.util.HashMap<>();
        Process lingering = null;
        try {
            lab.node(1).docker().swarmInit("0.0.0.0:2377", lab.node(1).ip());
            ProcessResult run = lab.node(2)
                    .exec(
                            List.of("docker", "run", "-d", "--pull=never", lab.busyboxImage(), "sleep", "3600"),
                            Duration.ofSeconds(60));
            assertEquals(0, run.exitCode(), run.stderr());
            lingering = new ProcessBuilder(
                            "bash",
                            Lab.script().toString(),
                            "exec",
                            "--id",
                            Integer.toString(id),
                            "--node",
                            "2",
                            "--",
                            "sleep",
                            "3601")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long lpid = lingering.pid();
            waitFor(() -> cmdline(lpid).equals("sleep 3601"), "the lingering process to start");

            // everything the teardown must remove is really there
            before = labProcesses(dir, id);
            for (ProcessHandle h : before) seen.put(h.pid(), cmdline(h.pid()));
            assertTrue(before.stream().anyMatch(h -> h.pid() == lpid), "the lingering process is seen as the lab's");
            assertTrue(
                    before.stream().anyMatch(h -> cmdline(h.pid()).equals("sleep 3600")),
                    "the container's PID 1 is seen as the lab's");
            assertEquals(
                    3,
                    before.stream()
                            .filter(h -> cmdline(h.pid()).startsWith("dockerd "))
                            .count(),
                    "2 node daemons + the host daemon");
            assertFalse(mounts(dir, id).isEmpty(), "mounts under " + dir);
            assertTrue(
                    mounts(dir, id).stream().anyMatch(m -> m.contains("/exec/netns/")),
                    "swarm namespace mounts: " + mounts(dir, id));
            assertEquals(List.of("n0d3-" + id + "-1", "n0d3-" + id + "-2"), netns(id));
            assertEquals(List.of("n0d3b" + id, "n0d3h" + id, "n0d3v" + id + "k1", "n0d3v" + id + "k2"), links(id));
            assertEquals(3, forwardRules(id).size(), "FORWARD rules of the lab: " + forwardRules(id));
            assertTrue(listening(registryPort), "registry on 127.0.0.1:" + registryPort);
        } finally {
            lab.close(); // throws when lab.sh down itself finds leftovers
        }

        // first reap our own child (the lingering process): until then it is a zombie that isAlive() reports
        assertTrue(lingering.waitFor(5, TimeUnit.SECONDS), "the process left in node2's namespaces was killed");
        for (ProcessHandle h : before) {
            assertFalse(
                    running(h),
                    "process " + h.pid() + " (" + seen.get(h.pid()) + ") survived the teardown: " + status(h.pid()));
        }
        assertEquals(List.of(), labProcesses(dir, id), "processes naming " + dir + " or living in its namespaces");
        assertEquals(List.of(), mounts(dir, id), "mounts in /proc/self/mountinfo");
        assertEquals(List.of(), netns(id), "ip netns list");
        assertEquals(List.of(), links(id), "ip link");
        assertEquals(List.of(), forwardRules(id), "iptables -S FORWARD");
        assertFalse(Files.exists(dir), dir + " removed");
        assertFalse(listening(registryPort), "registry port 127.0.0.1:" + registryPort + " closed");
    }

    @Test
    void checkCleanReportsALeftoverAndDownRemovesIt() {
        LabOptions o = LabOptions.nodes(1, LabTeardownTest.class);
        Lab lab = Lab.start(o);
        int id = lab.id();
        lab.close();
        String stray = "n0d3-" + id + "-9";
        RUN.run(Command.of("ip", "netns", "add", stray).timeout(Duration.ofSeconds(10)));
        try {
            ProcessResult dirty = lab("check-clean", "--id", Integer.toString(id));
            assertEquals(1, dirty.exitCode(), dirty.stdout());
            assertTrue(dirty.stdout().contains("netns " + stray), dirty.stdout());
            ProcessResult down = lab("down", "--id", Integer.toString(id));
            assertEquals(0, down.exitCode(), down.stderr());
            assertTrue(down.stderr().contains("deleted netns " + stray), down.stderr());
        } finally {
            RUN.runAnyExit(Command.of("ip", "netns", "del", stray).timeout(Duration.ofSeconds(10)));
        }
        assertEquals(List.of(), netns(id));
        ProcessResult clean = lab("check-clean", "--id", Integer.toString(id));
        assertEquals(0, clean.exitCode(), clean.stdout());
    }

    // ------------------------------------------------------------------ independent observations

    private static ProcessResult lab(String... args) {
        List<String> argv = new ArrayList<>(List.of("bash", Lab.script().toString()));
        argv.addAll(List.of(args));
        return RUN.runAnyExit(Command.of(argv).timeout(Duration.ofSeconds(120)));
    }

    /** Processes whose command line names the lab dir or namespaces, that live in a lab network namespace, and their descendants. */
    static List<ProcessHandle> labProcesses(Path dir, int id) throws IOException {
        List<String> nsInodes = new ArrayList<>();
        for (String ns : netns(id)) {
            nsInodes.add(String.valueOf(Files.getAttribute(Path.of("/run/netns", ns), "unix:ino")));
        }
        List<ProcessHandle> seeds = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == self) continue;
                String cmd = cmdline(pid);
                String net = "";
                try {
                    net = Files.readSymbolicLink(p.resolve("ns/net")).toString().replaceAll("\\D", "");
                } catch (IOException gone) {
                    // the process ended or is a kernel thread
                }
                if (cmd.contains(dir + "/") || cmd.contains("n0d3-" + id + "-") || nsInodes.contains(net)) {
                    ProcessHandle.of(pid).ifPresent(seeds::add);
                }
            }
        }
        List<ProcessHandle> all = new ArrayList<>(seeds);
        for (ProcessHandle s : seeds)
            s.descendants().filter(d -> !all.contains(d)).forEach(all::add);
        return all;
    }

    /**
     * Alive and not a zombie: a process that has exited but whose parent has not reaped it yet is
     * gone for our purpose (PID 1 of this VM reaps orphans lazily).
     */
    static boolean running(ProcessHandle h) {
        if (!h.isAlive()) return false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                if (line.startsWith("State:")) return !line.contains("Z (zombie)") && !line.contains("X (dead)");
            }
        } catch (IOException gone) {
            return false;
        }
        return true;
    }

    static String status(long pid) {
        try {
            return String.join(
                    " ",
                    Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))
                            .subList(0, 7));
        } catch (IOException e) {
            return "gone";
        }
    }

    static String cmdline(long pid) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ')
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }

    static List<String> mounts(Path dir, int id) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(dir + "/")
                    || mountPoint.equals(dir.toString())
                    || mountPoint.startsWith("/run/netns/n0d3-" + id + "-")) {
                out.add(mountPoint);
            }
        }
        return out;
    }

    static List<String> netns(int id) {
        List<String> out = new ArrayList<>();
        for (String line : RUN.run(Command.of("ip", "netns", "list").timeout(Duration.ofSeconds(10)))
                .stdout()
                .split("\\R")) {
            String name = line.split(" ")[0];
            if (name.startsWith("n0d3-" + id + "-")) out.add(name);
        }
        out.sort(null);
        return out;
    }

    static List<String> links(int id) {
        List<String> out = new ArrayList<>();
        for (String line : RUN.run(Command.of("ip", "-o", "link", "show").timeout(Duration.ofSeconds(10)))
                .stdout()
                .split("\\R")) {
            String[] f = line.split(": ");
            if (f.length < 2) continue;
            String name = f[1].split("@")[0];
            if (name.equals("n0d3b" + id) || name.equals("n0d3h" + id) || name.startsWith("n0d3v" + id + "k"))
                out.add(name);
        }
        out.sort(null);
        return out;
    }

    static List<String> forwardRules(int id) {
        List<String> out = new ArrayList<>();
        for (String line : RUN.run(Command.of("iptables", "-w", "-S", "FORWARD").timeout(Duration.ofSeconds(10)))
                .stdout()
                .split("\\R")) {
            if (line.matches(".* (n0d3b|n0d3h)" + id + "( .*|$)")) out.add(line);
        }
        return out;
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
