package build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import lab.Lab;
import lab.LabTest;
import lib.cli.Version;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.Project;
import telemetry.PayloadSchema;
import tfc.FakeTfc;

/**
 * The scripts run through the real JBang (0.135.0, ../shared/tools/jbang) exactly as users run them, for real
 * work: by file from the project root, from another folder, as executables (./x.java), through
 * jbang-catalog.json's aliases (the local catalog and one fetched by URL), and by URL from a loopback HTTP server
 * serving this checkout (JBang fetches //SOURCES and //FILES relative to the URL), with JBang's trust step.
 * Then the node a JBang install sets up: `jbang install.java --root R` with lab node 1's Docker, and the installed
 * units' command lines run as written (below); the same for an install from the built target/n0d3.jar.
 *
 * <p>One JBANG_DIR for the whole run, target/jbang (compiles are keyed by the sources' content, so a stale one is
 * never used; `mvn clean` empties it), and JBANG_REPO = the build's local Maven repository, so the first-run
 * compile of each script is paid once and nothing is downloaded that Maven has not already fetched. Without
 * ../shared/tools/jbang (a plain clone) the class is skipped with the reason, in every mode (support.Shared).
 */
@LabTest(nodes = 1)
class JBangIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration JBANG_TIMEOUT = Duration.ofMinutes(5);
    /** Never let the runner's own settings reach the scripts. */
    static final List<String> CLEARED = List.of(
            "MGMT_NODE_URL",
            "API_TOKEN",
            "API_TOKEN_FILE",
            "SWARM_MANAGER_IP",
            "SWARM_JOIN_TOKEN",
            "SWARM_JOIN_TOKEN_FILE",
            "ZEROTIER_NETWORK_ID",
            "ZEROTIER_API_TOKEN",
            "ZEROTIER_API_TOKEN_FILE",
            "TAILSCALE_AUTH_KEY",
            "TAILSCALE_AUTH_KEY_FILE",
            "NODE_NAME",
            "NODE_ID",
            "TELEMETRY_INTERVAL",
            "TFC_TOKEN",
            "TFC_TOKEN_FILE",
            "REGISTRY",
            "IMAGE_NAME",
            "VERSION",
            "JAVA_TOOL_OPTIONS",
            "JBANG_JAVA_OPTIONS");

    static Path jbang;
    static Path jbangDir;
    static String dockerHost;
    static String swarmNodeId;

    @BeforeAll
    static void jbang() throws IOException {
        swarmNodeId = null;
        jbang = support.Shared.find("tools/jbang/jbang")
                .orElse(Project.basedir().resolve("../shared/tools/jbang/jbang").normalize());
        jbangDir = Files.createDirectories(Project.basedir().resolve("target/jbang"));
        Files.deleteIfExists(jbangDir.resolve("trusted-sources.json"));
    }

    /**
     * Each test is skipped with the reason (so each counts as skipped) when the clone has no ../shared beside it
     * (support.Shared: in every mode, a plain clone being a legitimate place to run the suite); once, when the lab runs (without one the extension has skipped the test already),
     * node 1 becomes a swarm manager.
     */
    @BeforeEach
    void jbangAndASwarmManager(Lab lab) {
        support.Shared.require("tools/jbang/jbang");
        if (swarmNodeId != null) return;
        dockerHost = lab.node(1).dockerHost();
        lab.node(1).docker().swarmInit("0.0.0.0:2377", lab.node(1).ip());
        swarmNodeId = lab.node(1).docker().info().path("Swarm").path("NodeID").asText();
        assertFalse(swarmNodeId.isEmpty());
    }

    static Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        CLEARED.forEach(k -> e.put(k, null));
        e.put("JBANG_DIR", jbangDir.toString());
        e.put("JBANG_REPO", Project.m2().toString());
        e.put("PATH", jbang.getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("NO_COLOR", "1");
        e.put("DOCKER_HOST", dockerHost);
        return e;
    }

    static ChildJvm.Result jbang(Path dir, String... args) {
        return jbangWith(Map.of(), dir, args);
    }

    static ChildJvm.Result jbangWith(Map<String, String> extraEnv, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(jbang.toString()));
        cmd.addAll(List.of(args));
        Map<String, String> e = env();
        e.putAll(extraEnv);
        return ChildJvm.run(cmd, e, dir, JBANG_TIMEOUT);
    }

    static Path root() {
        return Project.basedir();
    }

    static JsonNode json(ChildJvm.Result r) throws IOException {
        assertEquals(0, r.exit(), "exit " + r.exit() + "\nstdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr());
        return JSON.readTree(r.stdout());
    }

    static Path scratchRoot(Path dir) throws IOException {
        Path r = Files.createDirectories(dir.resolve("root/etc"));
        Files.copy(Project.basedir().resolve("tests/resources/os-release/debian-12"), r.resolve("os-release"));
        return r.getParent();
    }

    // ---- the //FILES model against the jars JBang really builds ----------------------------------------------

    @Test
    void jbangFilesABareFilesPathUnderItsFileNameAsTheDirectiveModelSays(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/x.txt"), "x");
        Files.writeString(dir.resolve("sub/y.txt"), "y");
        Files.writeString(
                dir.resolve("probe.java"),
                "//FILES sub/x.txt\n//FILES sub/y.txt=sub/y.txt\n"
                        + "public class probe { public static void main(String[] a) { System.out.println(probe.class.getResource(\"/x.txt\") != null); } }\n");
        JarEntries jar = JarEntries.build(dir, "probe.java");
        assertTrue(
                jar.has(JBangScript.fileTarget("sub/x.txt")) && jar.has("x.txt") && !jar.has("sub/x.txt"),
                jar.toString());
        assertTrue(jar.has(JBangScript.fileTarget("sub/y.txt=sub/y.txt")) && jar.has("sub/y.txt"), jar.toString());
    }

    @Test
    void everyScriptsJBangBuildCarriesTheResourcesItsDirectivesName() throws IOException {
        for (Path script : Project.scripts()) {
            JBangScript s = JBangScript.read(script).closure();
            JarEntries jar = JarEntries.build(root(), script.getFileName().toString());
            for (String f : s.files())
                assertTrue(
                        jar.has(JBangScript.fileTarget(f)),
                        s + ": JBang's jar lacks " + JBangScript.fileTarget(f) + " (" + jar + ")");
            assertTrue(jar.has(s.className() + ".class"), s + ": " + jar);
        }
    }

    // ---- by file, from the project root: the commands of issue 13's table --------------------------------------

    @Test
    void installDetectJsonReportsTheLabNodesDocker() throws IOException {
        JsonNode facts = json(jbang(root(), "install.java", "--detect", "--json"));
        assertEquals(true, facts.path("docker_running").asBoolean(), facts.toString());
        assertTrue(facts.path("docker_version").asText().startsWith("20.10."), facts.toString());
    }

    @Test
    void installDryRunPlansTheRuntimeJarAndChangesNothing(@TempDir Path dir) throws IOException {
        Path r = scratchRoot(dir);
        Set<String> before = tree(r);
        ChildJvm.Result plan = jbang(root(), "install.java", "--dry-run", "--root", r.toString());
        assertEquals(0, plan.exit(), plan.stderr());
        assertTrue(
                plan.stdout()
                        .contains(
                                "- /opt/pr-cybr/n0d3.jar: assembled from install.jar (the JBang build of this script) and its "),
                plan.stdout());
        assertTrue(plan.stdout().contains("write    " + r + "/opt/pr-cybr/n0d3.jar (new, 0644)"), plan.stdout());
        assertTrue(plan.stdout().strip().endsWith("nothing was changed."), plan.stdout());
        assertEquals(before, tree(r), "a dry run writes nothing");
    }

    @Test
    void telemetryOnceOnStdoutIsAValidSampleOfTheLabNode(@TempDir Path dir) throws IOException {
        JsonNode sample =
                json(jbang(root(), "telemetry.java", "--once", "--output", "-", "--state-dir", dir.toString()));
        assertSampleOfTheLabNode(sample);
    }

    @Test
    void swarmJoinStatusShowsTheLabManager() throws IOException {
        JsonNode st = json(jbang(root(), "swarm_join.java", "--status", "--json"));
        assertSwarmStatus(st);
    }

    @Test
    void buildAmdDryRunPlansTheBuild() throws IOException {
        JsonNode plan = json(jbang(root(), "build_amd.java", "--dry-run", "--json"));
        String steps = plan.path("steps").toString();
        assertTrue(steps.contains("docker buildx build --builder default --platform linux/amd64 "), steps);
        assertTrue(steps.contains("--tag ghcr.io/pr-cybr/n0d3:" + Version.VERSION + "-amd64"), steps);
    }

    @Test
    void tfcSyncDryRunReadsTheWorkspaceAndPrintsThePlan() throws IOException {
        String token = "jbang-it-token-0123456789";
        try (FakeTfc tfc = new FakeTfc(token)) {
            tfc.addWorkspace("pr-cybr", "n0d3");
            ChildJvm.Result r = jbangWith(
                    Map.of("TFC_TOKEN", token, "TF_CLOUD_ORGANIZATION", "pr-cybr", "TF_WORKSPACE", "n0d3"),
                    root(),
                    "tfc_sync.java",
                    "--dry-run",
                    "--api-url",
                    tfc.url(),
                    "--environment",
                    "stage",
                    "--sha",
                    "0123456789abcdef0123456789abcdef01234567");
            assertEquals(0, r.exit(), r.stderr());
            assertTrue(r.stdout().contains("would create") && r.stdout().contains("would queue a run"), r.stdout());
            assertFalse(tfc.requests.isEmpty());
            assertTrue(
                    tfc.requests.stream()
                            .allMatch(q -> q.method().equals("GET") && ("Bearer " + token).equals(q.authorization())),
                    tfc.requests.toString());
            assertFalse((r.stdout() + r.stderr()).contains(token), "the token is never printed");
        }
    }

    @Test
    void helpAndVersion() {
        ChildJvm.Result v = jbang(root(), "install.java", "--version");
        assertEquals(0, v.exit(), v.stderr());
        assertTrue(v.stdout().startsWith("install.java " + Version.VERSION + " "), v.stdout());
        ChildJvm.Result h = jbang(root(), "telemetry.java", "--help");
        assertEquals(0, h.exit(), h.stderr());
        assertTrue(h.stdout().startsWith("Usage: telemetry.java "), h.stdout());
    }

    // ---- from another folder, as an executable, through the local catalog --------------------------------------

    @Test
    void byAbsolutePathFromAnotherFolder(@TempDir Path dir) throws IOException {
        JsonNode sample = json(jbang(
                dir,
                root().resolve("telemetry.java").toString(),
                "--once",
                "--output",
                "-",
                "--state-dir",
                dir.resolve("state").toString()));
        assertSampleOfTheLabNode(sample);
        assertTrue(Files.isDirectory(dir.resolve("state")), "the state dir given");
    }

    @Test
    void asExecutablesThroughTheShebangLine() throws IOException {
        for (Path s : Project.scripts()) assertTrue(Files.isExecutable(s), s + " is not executable (git mode 755)");
        ChildJvm.Result r =
                ChildJvm.run(List.of("./swarm_join.java", "--status", "--json"), env(), root(), JBANG_TIMEOUT);
        assertSwarmStatus(json(r));
    }

    @Test
    void throughTheLocalCatalogsAliases(@TempDir Path dir) throws IOException {
        assertSwarmStatus(json(jbang(root(), "swarm-join", "--status", "--json")));
        assertSampleOfTheLabNode(
                json(jbang(root(), "telemetry", "--once", "--output", "-", "--state-dir", dir.toString())));
    }

    // ---- by URL and by a catalog fetched by URL, with JBang's trust step --------------------------------------

    /**
     * Served on 127.0.0.2, which JBang does not trust by itself (it trusts localhost and 127.0.0.1 only), so the
     * trust step the README shows is exercised: refused without it (exit 10, JBang's own advice), then
     * {@code jbang trust add URL} and the same command runs; by URL and as {@code install@CATALOG-URL}.
     */
    @Test
    void byUrlAndByACatalogUrlAfterJBangTrustAdd(@TempDir Path dir) throws IOException {
        try (Served served = Served.checkout(InetAddress.getByName("127.0.0.2"))) {
            String base = served.url();
            ChildJvm.Result refused = jbang(dir, base + "/install.java", "--detect", "--json");
            assertEquals(10, refused.exit(), refused.stderr());
            assertTrue(
                    refused.stderr().contains("is not from a trusted source")
                            && refused.stderr().contains("jbang trust add "),
                    refused.stderr());

            ChildJvm.Result trust = jbang(dir, "trust", "add", base);
            assertEquals(0, trust.exit(), trust.stderr());

            JsonNode facts = json(jbang(dir, base + "/install.java", "--detect", "--json"));
            assertEquals(true, facts.path("docker_running").asBoolean(), facts.toString());
            for (String fetched : List.of(
                    "/install.java",
                    "/lib/cli/BaseCommand.java",
                    "/telemetry.java",
                    "/lib/telemetry/Payload.java",
                    "/schemas/codex.schema.json",
                    "/configs/systemd/pr-cybr-telemetry.service")) {
                assertTrue(
                        served.requested(fetched),
                        "JBang fetched " + fetched + " relative to the URL: " + served.requests());
            }

            Path r = scratchRoot(dir);
            ChildJvm.Result plan =
                    jbang(dir, "install@" + base + "/jbang-catalog.json", "--dry-run", "--root", r.toString());
            assertEquals(0, plan.exit(), plan.stderr());
            assertTrue(plan.stdout().contains("- /opt/pr-cybr/n0d3.jar: assembled from install.jar"), plan.stdout());
            assertTrue(
                    served.requested("/jbang-catalog.json"), served.requests().toString());

            JsonNode st = json(jbang(dir, "swarm-join@" + base + "/jbang-catalog.json", "--status", "--json"));
            assertSwarmStatus(st);
        }
    }

    /** Why the README does not pipe the script into `jbang -`: a script read from stdin finds no lib/ beside it. */
    @Test
    void aScriptPipedIntoJBangCannotFindItsSources(@TempDir Path dir) {
        Map<String, String> e = env();
        ChildJvm.Result r = ChildJvm.run(
                List.of(
                        "/bin/sh",
                        "-c",
                        "\"$0\" - --detect < \"$1\"",
                        jbang.toString(),
                        root().resolve("install.java").toString()),
                e,
                dir,
                JBANG_TIMEOUT);
        assertEquals(4, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("Failed to get contents from resource 'lib/cli/BaseCommand.java'"), r.stderr());
    }

    // ---- what a JBang install leaves on the node runs ------------------------------------------------------------

    /**
     * {@code jbang install.java --root R} with the lab node's Docker, then the installed units' command lines as
     * written, run by {@link UnitRunner}; a re-run changes nothing. The n0d3.jar it installed has the same entries
     * as target/n0d3.jar but for the build's pom metadata.
     */
    @Test
    void aNodeInstalledThroughJBangRunsItsUnits(@TempDir Path dir) throws IOException {
        Path r = operatorsRoot(dir);
        JsonNode j = json(jbang(root(), "install.java", "--root", r.toString(), "--json"));
        assertTrue(
                phase(j, "telemetry").path("notes").toString().contains("assembled from install.jar"),
                phase(j, "telemetry").toString());
        assertEquals(
                entries(Project.packagedJar()),
                entries(r.resolve("opt/pr-cybr/n0d3.jar")),
                "the JBang-assembled jar against target/n0d3.jar");
        theUnitsRun(r, dir);

        JsonNode again = json(jbang(root(), "install.java", "--root", r.toString(), "--json"));
        for (JsonNode p : again.path("phases"))
            assertTrue(Set.of("unchanged", "skipped").contains(p.path("status").asText()), p.toString());
    }

    @Test
    void aNodeInstalledFromTheBuiltJarRunsItsUnits(@TempDir Path dir) throws IOException {
        Path r = operatorsRoot(dir);
        Map<String, String> e = env();
        JsonNode j = json(ChildJvm.run(
                List.of(
                        ChildJvm.java(),
                        "-jar",
                        Project.packagedJar().toString(),
                        "install",
                        "--root",
                        r.toString(),
                        "--json"),
                e,
                root(),
                JBANG_TIMEOUT));
        assertEquals("changed", phase(j, "telemetry").path("status").asText());
        assertEquals(
                -1, Files.mismatch(Project.packagedJar(), r.resolve("opt/pr-cybr/n0d3.jar")), "the built jar itself");
        theUnitsRun(r, dir);
    }

    /** A scratch root as an operator leaves it before the install (SOP-001 step 3: the node's codex.yaml in place). */
    static Path operatorsRoot(Path dir) throws IOException {
        Path r = scratchRoot(dir);
        Files.createDirectories(r.resolve("etc/pr-cybr"));
        Files.copy(Project.basedir().resolve("codex.yaml"), r.resolve("etc/pr-cybr/codex.yaml"));
        return r;
    }

    /**
     * pr-cybr-telemetry.service as installed under R: ExecStartPre makes the AppCDS archive, ExecStart prints one
     * sample (no management node configured: stdout); pr-cybr-swarm-watch.service (installed by hand, SOP-002):
     * ExecStartPre, then its ExecStart's command with --status --json in place of --watch --interval 30s.
     */
    static void theUnitsRun(Path r, Path dir) throws IOException {
        UnitRunner units = new UnitRunner(r, Files.createDirectories(dir.resolve("ns")), dockerHost);
        Path service = r.resolve("etc/systemd/system/pr-cybr-telemetry.service");
        ChildJvm.Result pre = units.run(service, "ExecStartPre", UnaryOperator.identity());
        assertEquals(0, pre.exit(), pre.stderr());
        assertTrue(
                Files.size(r.resolve("var/lib/pr-cybr/telemetry/n0d3.jsa")) > 1_000_000,
                "ExecStartPre made the archive");
        ChildJvm.Result run = units.run(service, "ExecStart", UnaryOperator.identity());
        JsonNode sample = json(run);
        assertSampleOfTheLabNode(sample);
        String nodeId = Files.readAllLines(r.resolve("etc/pr-cybr/telemetry.env")).stream()
                .filter(l -> l.startsWith("NODE_ID="))
                .findFirst()
                .orElseThrow()
                .substring("NODE_ID=".length());
        assertEquals(nodeId, sample.path("node_id").asText(), "the unit's EnvironmentFile (telemetry.env) was read");

        Path watch = Files.copy(
                Project.basedir().resolve("configs/systemd/pr-cybr-swarm-watch.service"),
                r.resolve("etc/systemd/system/pr-cybr-swarm-watch.service"));
        ChildJvm.Result wpre = units.run(watch, "ExecStartPre", UnaryOperator.identity());
        assertEquals(0, wpre.exit(), wpre.stderr());
        assertTrue(
                Files.exists(r.resolve("var/lib/pr-cybr/swarm/n0d3.jsa")), "the watch's ExecStartPre made its archive");
        ChildJvm.Result status = units.run(watch, "ExecStart", argv -> {
            List<String> a = new ArrayList<>(argv);
            int w = a.indexOf("--watch");
            assertTrue(w > 0 && a.get(w + 1).equals("--interval"), argv.toString());
            a.subList(w, w + 3).clear();
            a.addAll(w, List.of("--status", "--json"));
            return a;
        });
        assertSwarmStatus(json(status));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static void assertSampleOfTheLabNode(JsonNode sample) {
        PayloadSchema.assertValid(sample);
        JsonNode docker = sample.path("metrics").path("docker");
        assertEquals(true, docker.path("available").asBoolean(), docker.toString());
        assertEquals("active", docker.path("swarm").path("state").asText(), docker.toString());
        assertEquals(swarmNodeId, docker.path("swarm").path("node_id").asText(), docker.toString());
    }

    static void assertSwarmStatus(JsonNode st) {
        assertEquals("active", st.path("state").asText(), st.toString());
        assertEquals("manager", st.path("role").asText(), st.toString());
        assertEquals(swarmNodeId, st.path("node_id").asText(), st.toString());
    }

    static JsonNode phase(JsonNode plan, String id) {
        for (JsonNode p : plan.path("phases")) if (p.path("id").asText().equals(id)) return p;
        throw new AssertionError("no phase " + id + " in " + plan);
    }

    /** A jar's entry names without the build tool's own metadata (META-INF/maven/...). */
    static Set<String> entries(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.stream()
                    .map(java.util.zip.ZipEntry::getName)
                    .filter(n -> !n.startsWith("META-INF/maven/"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static Set<String> tree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p)
                            + (Files.isDirectory(p) ? "/" : " " + p.toFile().length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The entries of the jar JBang builds for a script (`jbang build`, then `jbang info jar` names it). */
    record JarEntries(Path jar, Set<String> names) {
        static JarEntries build(Path dir, String script) throws IOException {
            ChildJvm.Result built = jbang(dir, "build", script);
            assertEquals(0, built.exit(), built.stderr());
            ChildJvm.Result info = jbang(dir, "info", "jar", script);
            assertEquals(0, info.exit(), info.stderr());
            Path jar = Path.of(info.stdout().strip());
            try (JarFile jf = new JarFile(jar.toFile())) {
                return new JarEntries(
                        jar,
                        jf.stream()
                                .map(java.util.zip.ZipEntry::getName)
                                .collect(Collectors.toCollection(TreeSet::new)));
            }
        }

        boolean has(String name) {
            return names.contains(name);
        }

        @Override
        public String toString() {
            return jar.getFileName() + " "
                    + names.stream().filter(n -> !n.endsWith(".class")).toList();
        }
    }

    /** This checkout over HTTP (GET of regular files under the project folder), every path requested recorded. */
    static final class Served implements AutoCloseable {
        private final HttpServer server;
        private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

        private Served(HttpServer server) {
            this.server = server;
        }

        static Served checkout(InetAddress addr) throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress(addr, 0), 0);
            Served served = new Served(s);
            Path top = Project.basedir();
            s.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                served.requests.add(path);
                Path f = top.resolve(path.substring(1)).normalize();
                byte[] body = f.startsWith(top)
                                && Files.isRegularFile(f)
                                && ex.getRequestMethod().equals("GET")
                        ? Files.readAllBytes(f)
                        : null;
                ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(body);
                    }
                }
                ex.close();
            });
            s.start();
            return served;
        }

        String url() {
            return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                    + server.getAddress().getPort();
        }

        boolean requested(String path) {
            return requests.contains(path);
        }

        List<String> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
