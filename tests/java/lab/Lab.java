package lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.docker.DockerClient;
import lib.docker.DockerHost;
import lib.proc.Command;
import lib.proc.ProcessFailedException;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A running Docker test lab (tests/lab/lab.sh): N dockerd nodes, each in its own network and uts
 * namespace, optionally a loopback registry, QEMU binfmt and a host daemon. Started and stopped
 * through lab.sh, so bash and Java share one implementation; {@link #close()} tears it down and
 * fails when anything is left behind.
 *
 * <pre>
 * try (Lab lab = Lab.start(LabOptions.nodes(3, getClass()).withRegistry())) {
 *     lab.node(1).docker().info();
 * }
 * </pre>
 *
 * or, per test class, {@link LabTest @LabTest(nodes = 3)} and a {@code Lab} parameter.
 * When the lab cannot run here (not root, packages missing) the test is aborted (skipped) with the
 * reason, unless N0D3_REQUIRE_LAB=1, which makes it a failure.
 */
public final class Lab implements AutoCloseable {
    public static final String REQUIRE_ENV = "N0D3_REQUIRE_LAB";
    private static final Pattern UP_TIME = Pattern.compile("lab \\d+: up in (\\d+) ms");

    private final Map<String, String> env;
    private final int id;
    private final List<LabNode> nodes = new ArrayList<>();
    private final long upMillis;
    private boolean closed;

    private Lab(Map<String, String> env, long upMillis) {
        this.env = Collections.unmodifiableMap(env);
        this.id = Integer.parseInt(need("LAB_ID"));
        this.upMillis = upMillis;
        int n = Integer.parseInt(need("LAB_NODES"));
        for (int k = 1; k <= n; k++) {
            nodes.add(new LabNode(
                    this,
                    k,
                    need("LAB_NODE" + k + "_IP"),
                    need("LAB_NODE" + k + "_HOSTNAME"),
                    need("LAB_NODE" + k + "_NS"),
                    Path.of(need("LAB_NODE" + k + "_SOCK"))));
        }
    }

    // ------------------------------------------------------------------ availability

    /** tests/lab/lab.sh of this checkout (surefire passes n0d3.basedir; else the working directory). */
    public static Path script() {
        return Path.of(System.getProperty("n0d3.basedir", "."), "tests", "lab", "lab.sh")
                .toAbsolutePath()
                .normalize();
    }

    /** True when N0D3_REQUIRE_LAB=1: a lab that cannot run is then a failure, not a skip. */
    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE_ENV));
    }

    /** Null when a lab with these options can run on this machine, else the reason it cannot. */
    public static String unavailableReason(LabOptions o) {
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return "not Linux (" + System.getProperty("os.name") + ")";
        }
        Path s = script();
        if (!Files.isRegularFile(s)) return "no lab script at " + s;
        List<String> argv = new ArrayList<>(List.of("bash", s.toString(), "doctor"));
        argv.addAll(o.flags().subList(2, o.flags().size()));
        ProcessResult r;
        try {
            r = new ProcessRunner().runAnyExit(Command.of(argv).timeout(Duration.ofSeconds(30)));
        } catch (ProcessFailedException e) {
            return "lab.sh doctor failed: " + e.getMessage();
        }
        if (r.exitCode() == 0) return null;
        return (r.stdout() + " " + r.stderr()).strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Returns when the lab can run; otherwise aborts the test (skip), or fails it when N0D3_REQUIRE_LAB=1. */
    public static void assumeAvailable(LabOptions o) {
        String why = unavailableReason(o);
        if (why == null) return;
        if (required()) {
            Assertions.fail("the Docker lab is required (" + REQUIRE_ENV + "=1) but cannot run here: " + why);
        }
        Assumptions.abort("Docker lab unavailable: " + why + " (" + REQUIRE_ENV + "=1 makes this a failure)");
    }

    // ------------------------------------------------------------------ start / stop

    /**
     * Starts a lab (after {@link #assumeAvailable}); owned by this JVM, so a lab this JVM leaves
     * behind (crash) is reclaimed by the next {@code lab.sh up} of that id or {@code lab.sh down --stale}.
     */
    public static Lab start(LabOptions o) {
        assumeAvailable(o);
        List<String> argv = new ArrayList<>(List.of("bash", script().toString(), "up"));
        if (o.id() > 0) {
            argv.addAll(List.of("--id", Integer.toString(o.id())));
        } else {
            argv.addAll(List.of("--id-from", Integer.toString(o.preferredId())));
        }
        argv.addAll(o.flags());
        argv.addAll(List.of(
                "--owner",
                Long.toString(ProcessHandle.current().pid()),
                "--timeout",
                Long.toString(Math.max(1, o.startTimeout().toSeconds()))));
        ProcessResult r;
        try {
            r = new ProcessRunner()
                    .run(Command.of(argv).timeout(o.startTimeout().plusSeconds(120)));
        } catch (ProcessFailedException e) {
            throw new LabException("could not start the lab: " + e.getMessage(), e);
        }
        Matcher m = UP_TIME.matcher(r.stderr());
        long ms = -1;
        while (m.find()) ms = Long.parseLong(m.group(1));
        Lab lab = new Lab(parseEnv(r.stdout()), ms);
        System.err.println("lab " + lab.id + ": " + lab.nodes.size() + " node(s) up"
                + (ms >= 0 ? " in " + ms + " ms" : " (already up)"));
        return lab;
    }

    /** Tears the lab down (lab.sh down); throws when anything is left behind. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ProcessResult r = new ProcessRunner()
                .runAnyExit(Command.of("bash", script().toString(), "down", "--id", Integer.toString(id))
                        .timeout(Duration.ofSeconds(120)));
        if (r.exitCode() != 0) {
            throw new LabException("teardown of lab " + id + " failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
    }

    // ------------------------------------------------------------------ what it offers

    public int id() {
        return id;
    }

    /** /tmp/n0d3-lab-&lt;ID&gt;: the lab's state (sockets, data roots, logs); gone after {@link #close()}. */
    public Path dir() {
        return Path.of(need("LAB_DIR"));
    }

    public List<LabNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Node k, 1-based. */
    public LabNode node(int k) {
        if (k < 1 || k > nodes.size())
            throw new IllegalArgumentException("lab " + id + " has nodes 1.." + nodes.size() + ", not " + k);
        return nodes.get(k - 1);
    }

    /** The bridge all nodes hang on (n0d3b&lt;ID&gt;, 10.213.&lt;ID&gt;.1/24). */
    public String bridge() {
        return need("LAB_BRIDGE");
    }

    /** host:port of the loopback registry (127.0.0.1:5000+ID); the lab must have been started with it. */
    public String registry() {
        return needFor("LAB_REGISTRY", "registry");
    }

    /** Where the registry stores blobs and manifests (to check bytes on disk). */
    public Path registryDir() {
        return Path.of(needFor("LAB_REGISTRY_DIR", "registry"));
    }

    /** The host daemon's socket (root network namespace, reaches the 127.0.0.1 registry). */
    public Path hostSocket() {
        return Path.of(needFor("LAB_HOST_SOCK", "hostDaemon"));
    }

    public String hostDockerHost() {
        return "unix://" + hostSocket();
    }

    public DockerClient hostDocker() {
        return new DockerClient(DockerHost.unix(hostSocket()));
    }

    /** A command run in the root namespace with DOCKER_HOST = the host daemon (docker buildx ...). */
    public Command hostCommand(List<String> cmd) {
        hostSocket();
        List<String> argv = new ArrayList<>(
                List.of("bash", script().toString(), "exec", "--id", Integer.toString(id), "--node", "host", "--"));
        argv.addAll(cmd);
        return Command.of(argv);
    }

    public ProcessResult hostExec(List<String> cmd, Duration timeout) {
        return new ProcessRunner().runAnyExit(hostCommand(cmd).timeout(timeout));
    }

    /** n0d3-lab/busybox:latest, imported into every daemon when started with busybox. */
    public String busyboxImage() {
        return needFor("LAB_BUSYBOX_IMAGE", "busybox");
    }

    /** The static busybox for amd64, arm64 or armv7 (for FROM scratch multi-arch test images). */
    public Path busyboxBinary(String arch) {
        if (!List.of("amd64", "arm64", "armv7").contains(arch))
            throw new IllegalArgumentException("busybox arch: amd64, arm64 or armv7, not " + arch);
        return Path.of(need("LAB_BUSYBOX_DIR"), arch, "busybox");
    }

    /** Every variable of {@code lab.sh env} (LAB_ID, LAB_NODE1_IP, LAB_REGISTRY, ...). */
    public Map<String, String> env() {
        return env;
    }

    /** Milliseconds {@code lab.sh up} took to start it (-1 when it was already up). */
    public long upMillis() {
        return upMillis;
    }

    /** lab.sh status: exit 0 when every daemon answers, 1 when one does not. */
    public ProcessResult status() {
        return new ProcessRunner()
                .runAnyExit(Command.of("bash", script().toString(), "status", "--id", Integer.toString(id))
                        .timeout(Duration.ofSeconds(60)));
    }

    @Override
    public String toString() {
        return "lab " + id + " (" + nodes.size() + " nodes, " + dir() + ")";
    }

    private String need(String key) {
        String v = env.get(key);
        if (v == null) throw new LabException("lab.sh did not report " + key);
        return v;
    }

    private String needFor(String key, String option) {
        String v = env.get(key);
        if (v == null)
            throw new IllegalStateException("lab " + id + " was started without " + option + " (LabOptions.with"
                    + Character.toUpperCase(option.charAt(0)) + option.substring(1) + "() / @LabTest(" + option
                    + " = true))");
        return v;
    }

    /** KEY=VALUE lines as printed by lab.sh env (bash printf %q: backslash escapes). */
    static Map<String, String> parseEnv(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || !line.substring(0, eq).matches("[A-Z][A-Z0-9_]*")) continue;
            m.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("\\\\(.)", "$1"));
        }
        return m;
    }
}
