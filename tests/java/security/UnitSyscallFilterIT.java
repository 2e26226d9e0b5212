package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.Lab;
import lab.LabNode;
import lab.LabTest;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Need;
import support.Project;

/**
 * The hardened units still work under their system call filter, shown without systemd as PID 1 (there is none
 * here): each unit's own ExecStartPre and ExecStart lines (the packaged jar and scratch dirs in place of
 * /opt/pr-cybr/n0d3.jar, the state dirs, /etc/pr-cybr/codex.yaml and %d) run inside a lab node under
 * {@code strace -f}, against the node's real dockerd with a running container, and every system call they make
 * must be one the unit's {@code SystemCallFilter=} lines allow, expanded by {@code systemd-analyze
 * syscall-filter} exactly as systemd expands them. The swarm watch really joins node 1's swarm on the way.
 */
@LabTest(nodes = 2, busybox = true)
class UnitSyscallFilterIT {
    static final Path UNITS = Project.basedir().resolve("configs/systemd");
    static final Pattern CALL = Pattern.compile("^\\d+\\s+(?:<\\.\\.\\. ([a-z0-9_]+) resumed>|([a-z0-9_]+)\\()");

    @TempDir
    static Path tmp;

    static Path jar;

    @BeforeAll
    static void tools(Lab lab) {
        for (String t : List.of("strace", "systemd-analyze")) {
            boolean there = new ProcessRunner()
                            .runAnyExit(
                                    Command.of("sh", "-c", "command -v " + t).timeout(Duration.ofSeconds(10)))
                            .exitCode()
                    == 0;
            Need.that(there, t + " is not installed (tests/lab/install.sh installs it)");
        }
        jar = Project.packagedJar();
        // a container, so that the telemetry runs read its stats too
        LabNode n = lab.node(2);
        ProcessResult r = n.exec(
                List.of("docker", "run", "-d", "--pull=never", "--name", "busy", lab.busyboxImage(), "sleep", "600"),
                Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r.stderr());
    }

    // ------------------------------------------------------------------ the filter, as systemd expands it

    /** Every group of {@code systemd-analyze syscall-filter}, with its members (groups not yet expanded). */
    static Map<String, List<String>> groups() {
        ProcessResult r = new ProcessRunner()
                .run(Command.of("systemd-analyze", "syscall-filter", "--no-pager")
                        .timeout(Duration.ofSeconds(30)));
        Map<String, List<String>> out = new HashMap<>();
        List<String> cur = null;
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("@")) {
                cur = new ArrayList<>();
                out.put(line.strip().split("\\s+")[0], cur);
            } else if (cur != null && !line.isBlank() && !line.strip().startsWith("#")) {
                cur.add(line.strip());
            }
        }
        return out;
    }

    static Set<String> expand(List<String> items, Map<String, List<String>> groups) {
        Set<String> out = new TreeSet<>();
        for (String i : items) {
            if (i.startsWith("@")) {
                List<String> g = groups.get(i);
                assertTrue(g != null, "unknown group " + i);
                out.addAll(expand(g, groups));
            } else {
                out.add(i);
            }
        }
        return out;
    }

    /** The system calls a unit allows: its first SystemCallFilter= line is an allow list, then "~" lines take away, others add. */
    static Set<String> allowed(String unit) throws IOException {
        Map<String, List<String>> groups = groups();
        Set<String> allowed = null;
        for (String l : Files.readAllLines(UNITS.resolve(unit))) {
            if (!l.startsWith("SystemCallFilter=")) continue;
            String v = l.substring("SystemCallFilter=".length()).strip();
            boolean deny = v.startsWith("~");
            Set<String> set = expand(List.of((deny ? v.substring(1) : v).strip().split("\\s+")), groups);
            if (allowed == null) {
                assertFalse(deny, unit + ": the first SystemCallFilter= must be an allow list for this check");
                allowed = new TreeSet<>(set);
            } else if (deny) {
                allowed.removeAll(set);
            } else {
                allowed.addAll(set);
            }
        }
        assertTrue(allowed != null && allowed.size() > 100, unit + " has no SystemCallFilter=");
        return allowed;
    }

    static Set<String> calls(Path trace) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
            Matcher m = CALL.matcher(line);
            if (m.find()) out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    // ------------------------------------------------------------------ the unit's own command lines

    /** A unit line with the scratch paths, "$$" as systemd unescapes it, split like systemd (the sh -c script kept whole). */
    static List<String> line(String unit, String key, Map<String, String> paths) throws IOException {
        for (String l : Files.readAllLines(UNITS.resolve(unit))) {
            if (!l.startsWith(key + "=")) continue;
            String v = l.substring(key.length() + 1).replace("$$", "$");
            for (Map.Entry<String, String> e : paths.entrySet()) v = v.replace(e.getKey(), e.getValue());
            if (v.startsWith("/bin/sh -c '"))
                return List.of("/bin/sh", "-c", v.substring("/bin/sh -c '".length(), v.length() - 1));
            return List.of(v.split(" "));
        }
        throw new AssertionError("no " + key + " in " + unit);
    }

    Map<String, String> paths(String tag) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(tag));
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("/opt/pr-cybr/n0d3.jar", jar.toString());
        p.put(
                "/var/lib/pr-cybr/telemetry",
                Files.createDirectories(d.resolve("telemetry")).toString());
        p.put(
                "/var/lib/pr-cybr/swarm",
                Files.createDirectories(d.resolve("swarm")).toString());
        p.put("/etc/pr-cybr/codex.yaml", Project.basedir().resolve("codex.yaml").toString());
        p.put("%d", Files.createDirectories(d.resolve("credentials")).toString());
        return p;
    }

    static List<String> strace(Path trace, List<String> argv) {
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-o", trace.toString()));
        cmd.addAll(argv);
        return cmd;
    }

    /** Runs argv in the node under strace; returns the trace file (and the run's result in {@code out}). */
    static Path traced(LabNode node, String tag, List<String> argv, Map<String, String> env, List<ProcessResult> out) {
        Path trace = tmp.resolve(tag + ".strace");
        Command c =
                node.command(strace(trace, argv)).timeout(Duration.ofMinutes(4)).env("NO_COLOR", "1");
        for (Map.Entry<String, String> e : env.entrySet()) c = c.env(e.getKey(), e.getValue());
        out.add(new ProcessRunner().runAnyExit(c));
        return trace;
    }

    /** A service's ExecStart under strace in the node, in the background (output to TAG.log); stop it with {@link #stop}. */
    static Process start(LabNode node, Path trace, List<String> argv, Map<String, String> env, String tag)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(node.command(strace(trace, argv)).argv())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(tag + ".log").toFile());
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        return pb.start();
    }

    /** SIGTERM to the JVM under strace, as systemd would stop the service; strace ends with it. */
    static void stop(Process strace) throws InterruptedException {
        strace.descendants()
                .filter(h -> h.info().command().orElse("").endsWith("java"))
                .forEach(ProcessHandle::destroy);
        if (!strace.waitFor(60, TimeUnit.SECONDS)) strace.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    static void assertAllowed(String unit, Path trace, Set<String> allowed) throws IOException {
        Set<String> used = calls(trace);
        assertTrue(used.size() > 30, trace + ": too few system calls seen: " + used);
        Set<String> outside = new TreeSet<>(used);
        outside.removeAll(allowed);
        assertEquals(
                Set.of(),
                outside,
                unit + ": system calls its SystemCallFilter= would refuse (EPERM), seen in " + trace.getFileName());
    }

    @Test
    void theTimerServicesPreStepAndSampleStayInsideTheFilter(Lab lab) throws IOException {
        String unit = "pr-cybr-telemetry.service";
        Set<String> allowed = allowed(unit);
        Map<String, String> p = paths("timer");
        Map<String, String> env = Map.of("MGMT_NODE_URL", "http://127.0.0.1:9", "API_TOKEN", "unit-filter-test-token");
        List<ProcessResult> results = new ArrayList<>();
        Path pre = traced(lab.node(2), "timer-pre", line(unit, "ExecStartPre", p), env, results);
        Path run = traced(lab.node(2), "timer-run", line(unit, "ExecStart", p), env, results);
        assertEquals(0, results.get(0).exitCode(), results.get(0).stderr());
        assertTrue(
                Files.size(Path.of(p.get("/var/lib/pr-cybr/telemetry")).resolve("n0d3.jsa")) > 1_000_000,
                "the pre-step made the archive");
        assertEquals(
                0,
                results.get(1).exitCode(),
                "management node down: the sample is spooled, exit 0: "
                        + results.get(1).stderr());
        assertTrue(
                results.get(1).stderr().contains("connection refused"),
                results.get(1).stderr());
        assertAllowed(unit, pre, allowed);
        assertAllowed(unit, run, allowed);
    }

    @Test
    void theDaemonServesMetricsInsideTheFilter(Lab lab) throws Exception {
        String unit = "pr-cybr-telemetry-daemon.service";
        Set<String> allowed = allowed(unit);
        Map<String, String> p = paths("daemon");
        LabNode n = lab.node(2);
        // the pre-step: one --once run to stdout that fills the codex cache the daemon then reads
        List<ProcessResult> results = new ArrayList<>();
        Path pre = traced(n, "daemon-pre", line(unit, "ExecStartPre", p), Map.of(), results);
        assertEquals(0, results.get(0).exitCode(), results.get(0).stderr());
        assertTrue(
                Files.size(Path.of(p.get("/var/lib/pr-cybr/telemetry")).resolve("codex.validated")) > 0,
                "the pre-step wrote the codex cache into the unit's state dir");
        assertAllowed(unit, pre, allowed);
        Path trace = tmp.resolve("daemon.strace");
        List<String> cmd = new ArrayList<>(line(unit, "ExecStart", p));
        cmd.addAll(List.of("--interval", "1s", "--state-dir", p.get("/var/lib/pr-cybr/telemetry")));
        Process strace = start(n, trace, cmd, Map.of(), "daemon");
        try {
            String metrics = "";
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!metrics.contains("pr_cybr_container_") && System.nanoTime() < end && strace.isAlive()) {
                Thread.sleep(500);
                metrics = n.exec(
                                List.of("curl", "-fsS", "--max-time", "5", "http://127.0.0.1:10464/metrics"),
                                Duration.ofSeconds(10))
                        .stdout();
            }
            assertTrue(
                    metrics.contains("pr_cybr_container_"),
                    "the daemon served container metrics: " + metrics + Files.readString(tmp.resolve("daemon.log")));
            assertEquals(
                    "ok",
                    n.exec(
                                    List.of("curl", "-fsS", "--max-time", "5", "http://127.0.0.1:10464/health"),
                                    Duration.ofSeconds(10))
                            .stdout()
                            .strip());
        } finally {
            stop(strace);
        }
        assertAllowed(unit, trace, allowed);
    }

    @Test
    void theSwarmWatchRejoinsInsideTheFilter(Lab lab) throws Exception {
        String unit = "pr-cybr-swarm-watch.service";
        Set<String> allowed = allowed(unit);
        Map<String, String> p = paths("watch");
        LabNode manager = lab.node(1);
        LabNode node = lab.node(2);
        manager.docker().swarmInit("0.0.0.0:2377", manager.ip());
        String token = manager.docker()
                .swarmInspect()
                .path("JoinTokens")
                .path("Worker")
                .asText();
        Path cred = Path.of(p.get("%d")).resolve("swarm-join-token");
        Files.writeString(cred, token + "\n");
        Files.setPosixFilePermissions(cred, PosixFilePermissions.fromString("r--------"));
        List<ProcessResult> results = new ArrayList<>();
        Map<String, String> env = Map.of("SWARM_MANAGER_IP", manager.ip(), "SWARM_JOIN_TOKEN_FILE", cred.toString());
        Path pre = traced(node, "watch-pre", line(unit, "ExecStartPre", p), env, results);
        assertEquals(0, results.get(0).exitCode(), results.get(0).stderr());
        assertAllowed(unit, pre, allowed);

        Path trace = tmp.resolve("watch.strace");
        Process strace = start(node, trace, line(unit, "ExecStart", p), env, "watch");
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < end
                    && strace.isAlive()
                    && !node.docker()
                            .info()
                            .path("Swarm")
                            .path("LocalNodeState")
                            .asText()
                            .equals("active")) {
                Thread.sleep(500);
            }
            assertEquals(
                    "active",
                    node.docker().info().path("Swarm").path("LocalNodeState").asText(),
                    "the watch joined the node: " + Files.readString(tmp.resolve("watch.log")));
        } finally {
            stop(strace);
        }
        assertAllowed(unit, trace, allowed);
    }
}
