package lib.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;

/**
 * The bound-codex cache behind {@link Settings#load(Path, Map, Path)}: a hit gives what the full path
 * gives, anything else takes the full path and rewrites the cache, and a hit loads no YAML or databind.
 * A hit is told from a miss by the cache file: a miss replaces it (new file key), a hit leaves it alone.
 */
class CodexCacheTest {
    /** Every kind the cache stores: strings, booleans, ints, longs, doubles, durations, lists of records, maps. */
    static final String OPERATOR = """
            metadata:
              node_name: pi-7
              labels: {tier: edge, site: "lab 2", zone: b}
            management:
              api_endpoint: https://mgmt.example:8443
              timeout: 2500ms
              verify_tls: false
            capabilities:
              swarm:
                role: manager
                managers: [10.0.0.1, "10.0.0.2:2377"]
                networks:
                  - {name: a, attachable: true, encrypted: true, mtu: 1400}
                  - {name: b}
              telemetry:
                interval: 90s
                batch_size: 7
            resources:
              minimum: {cpu_cores: 0.5, memory_mb: 300, disk_gb: 2.5}
            build:
              version: "1.2.3"
            """;

    static final Map<String, String> ENV = Map.of("NODE_NAME", "from-env", "SWARM_MANAGER_IP", "10.9.9.9");

    @TempDir
    Path dir;

    Path codex;
    Path cache;

    Path write(String yaml) throws Exception {
        codex = dir.resolve("codex.yaml");
        cache = dir.resolve("state/codex.validated");
        Files.writeString(codex, yaml);
        return codex;
    }

    static Object key(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    /** Loads through the cache and says whether that was a hit (the cache file left as it was). */
    boolean hit(Map<String, String> env) throws Exception {
        Object before = Files.exists(cache) ? key(cache) : null;
        Settings.load(codex, env, cache);
        return before != null && before.equals(key(cache));
    }

    static final List<Function<Settings, Object>> ACCESSORS = List.of(
            Settings::codex,
            Settings::source,
            Settings::describeSource,
            Settings::nodeName,
            Settings::mgmtUrl,
            Settings::mgmtTimeout,
            Settings::mgmtVerifyTls,
            Settings::swarmRole,
            Settings::swarmManagers,
            Settings::zerotierNetworkId,
            Settings::telemetryInterval,
            s -> s.build(Settings.REGISTRY),
            s -> s.build(Settings.IMAGE_NAME),
            s -> s.build(Settings.IMAGE_VERSION),
            s -> s.resolve("x/y.conf"),
            Settings::env,
            Settings::toString);

    static void assertSame(Settings full, Settings cached) {
        for (int i = 0; i < ACCESSORS.size(); i++) {
            assertEquals(ACCESSORS.get(i).apply(full), ACCESSORS.get(i).apply(cached), "accessor " + i);
        }
    }

    @Test
    void aHitGivesWhatTheFullPathGivesWithTheEnvironmentAppliedAtUseTime() throws Exception {
        write(OPERATOR);
        assertFalse(hit(Map.of()), "first run: no cache yet");
        assertTrue(Files.isRegularFile(cache));
        for (Map<String, String> env : List.of(Map.<String, String>of(), ENV)) {
            Settings full = Settings.load(codex, env, null);
            assertTrue(hit(env), "second run with env " + env);
            Settings cached = Settings.load(codex, env, cache);
            assertSame(full, cached);
        }
        assertEquals("from-env", Settings.load(codex, ENV, cache).nodeName(), "the environment is not cached");
        assertEquals("pi-7", Settings.load(codex, Map.of(), cache).nodeName());
        assertEquals(
                List.of("10.0.0.1", "10.0.0.2:2377"),
                Settings.load(codex, Map.of(), cache).swarmManagers());
    }

    @Test
    void aFileThatIsTheEmbeddedDefaultGivesTheDefault() throws Exception {
        write(CodexLoader.readResource("codex.yaml"));
        Settings full = Settings.fromText("codex.yaml", "{}", Map.of());
        assertEquals(full.codex(), Settings.load(codex, Map.of(), null).codex());
        assertFalse(hit(Map.of()));
        assertTrue(hit(Map.of()));
        assertEquals(full.codex(), Settings.load(codex, Map.of(), cache).codex());
    }

    @Test
    void aChangedOperatorFileTakesTheFullPathAndRewritesTheCache() throws Exception {
        write(OPERATOR);
        Settings.load(codex, Map.of(), cache);
        assertTrue(hit(Map.of()));
        Files.writeString(codex, OPERATOR.replace("node_name: pi-7", "node_name: pi-8"));
        assertFalse(hit(Map.of()));
        assertEquals("pi-8", Settings.load(codex, Map.of(), cache).nodeName());
        assertTrue(hit(Map.of()), "the rewritten cache serves the next run");
        Files.writeString(
                codex, OPERATOR.replace("node_name: pi-7", "node_name: pi-7 ")); // one byte more, same meaning
        assertFalse(hit(Map.of()), "bytes are compared, not meanings");
    }

    @Test
    void aCorruptOrTruncatedCacheTakesTheFullPathAndIsRewritten() throws Exception {
        write(OPERATOR);
        Settings expected = Settings.load(codex, Map.of(), null);
        Settings.load(codex, Map.of(), cache);
        byte[] good = Files.readAllBytes(cache);
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add("garbage".getBytes(StandardCharsets.UTF_8));
        for (int cut = 1; cut < good.length; cut += good.length / 23) bad.add(Arrays.copyOf(good, cut));
        bad.add(Arrays.copyOf(good, good.length - 1));
        bad.add(Arrays.copyOf(good, good.length + 1));
        for (int at = good.length - 1; at > good.length - 600; at -= 37) { // bytes of the stored codex near the end
            byte[] flipped = good.clone();
            flipped[at] ^= 0x20;
            bad.add(flipped);
        }
        for (byte[] b : bad) {
            Files.write(cache, b);
            assertFalse(hit(Map.of()), "a cache of " + b.length + " bytes was used");
            assertSame(expected, Settings.load(codex, Map.of(), cache));
            assertTrue(
                    Arrays.equals(good, Files.readAllBytes(cache)),
                    "rewritten after a bad cache of " + b.length + " bytes");
        }
    }

    @Test
    void aCacheOfAnotherBuildOrAnotherEmbeddedDefaultOrSchemaIsNotUsed() throws Exception {
        write(OPERATOR);
        byte[] op = Files.readAllBytes(codex);
        Codex other =
                Settings.fromText("x", "metadata: {node_name: stale}", Map.of()).codex();
        CodexCache.Inputs now = CodexCache.Inputs.of(op);
        List<CodexCache.Inputs> others = List.of(
                new CodexCache.Inputs(
                        op, now.embedded(), now.schema(), "0.0.1" + now.build().substring(Version.VERSION.length())),
                new CodexCache.Inputs(
                        op,
                        (new String(now.embedded(), StandardCharsets.UTF_8) + "#\n").getBytes(StandardCharsets.UTF_8),
                        now.schema(),
                        now.build()),
                new CodexCache.Inputs(
                        op,
                        now.embedded(),
                        (new String(now.schema(), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8),
                        now.build()),
                new CodexCache.Inputs(null, now.embedded(), now.schema(), now.build()));
        for (CodexCache.Inputs in : others) {
            CodexCache.write(cache, in, other);
            assertEquals(other, CodexCache.read(cache, in), "the cache itself is readable");
            assertNull(CodexCache.read(cache, now));
            assertEquals("pi-7", Settings.load(codex, Map.of(), cache).nodeName());
            assertEquals("pi-7", CodexCache.read(cache, now).metadata().nodeName(), "rewritten for this run");
        }
    }

    /** The codex an older build bound from a file this build refuses (telemetry interval zero). */
    static Codex withInterval(Codex c, java.time.Duration interval) {
        Codex.Capabilities caps = c.capabilities();
        Codex.Telemetry t = caps.telemetry();
        Codex.Telemetry zero = new Codex.Telemetry(
                t.enabled(),
                interval,
                t.stateDir(),
                t.textfileDir(),
                t.batchSize(),
                t.sendBudget(),
                t.spool(),
                t.backoff());
        return new Codex(
                c.metadata(),
                c.management(),
                new Codex.Capabilities(caps.swarm(), caps.networking(), zero),
                c.resources(),
                c.endpoints(),
                c.security(),
                c.deployment(),
                c.build(),
                c.install());
    }

    /**
     * A file that an older build accepted and this one refuses is never served from the older build's cache
     * entry: neither when the schema changed (interval: 0s, now refused by the schema) nor when only the
     * code did (a second YAML document, refused by CodexLoader with the same schema).
     */
    @Test
    void aFileThisBuildRefusesIsNotAcceptedFromAnOlderBuildsEntry() throws Exception {
        CodexCache.Inputs now = CodexCache.Inputs.of(null);
        String olderBuild = "0.0.9" + now.build().substring(Version.VERSION.length());
        byte[] olderSchema = new String(now.schema(), StandardCharsets.UTF_8)
                .replace("#/$defs/positiveDuration", "#/$defs/duration")
                .getBytes(StandardCharsets.UTF_8);
        Codex accepted = Settings.fromText("x", OPERATOR, Map.of()).codex();
        record Case(String file, byte[] schema, String build, String refusal) {}
        List<Case> cases = List.of(
                new Case(
                        "capabilities:\n  telemetry:\n    interval: 0s\n",
                        olderSchema,
                        olderBuild,
                        ":3:5: capabilities.telemetry.interval: expected a duration above zero"),
                new Case(
                        "metadata:\n  name: a\n---\nmetadata:\n  name: b\n",
                        now.schema(),
                        olderBuild,
                        ":3:1: a second YAML document starts here"));
        for (Case c : cases) {
            write(c.file());
            byte[] op = Files.readAllBytes(codex);
            CodexCache.write(
                    cache,
                    new CodexCache.Inputs(op, now.embedded(), c.schema(), c.build()),
                    withInterval(accepted, java.time.Duration.ZERO));
            byte[] older = Files.readAllBytes(cache);
            assertNull(
                    CodexCache.read(cache, CodexCache.Inputs.of(op)),
                    "the older entry does not match this build's inputs");
            N0d3Exception e = assertThrows(N0d3Exception.class, () -> Settings.load(codex, Map.of(), cache));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().startsWith(codex + c.refusal()), e.getMessage());
            assertTrue(Arrays.equals(older, Files.readAllBytes(cache)), "a refused file is not cached");
        }
        assertTrue(
                CodexCache.buildId().contains("Settings.class")
                        || !CodexCache.class
                                .getResource("Settings.class")
                                .toString()
                                .startsWith("file:"),
                "the checks Settings makes beyond the schema are part of the build id: " + CodexCache.buildId());
    }

    @Test
    void theBuildIdNamesTheVersionAndChangesWithTheBindingCode() throws Exception {
        String id = CodexCache.buildId();
        assertNotNull(id);
        assertTrue(id.startsWith(Version.VERSION + "|"), id);
        Path units = Path.of(CodexCache.class.getResource("Units.class").toURI());
        if (!Files.isRegularFile(units)) return; // run from a jar: the jar's own time is in the id
        FileTime was = Files.getLastModifiedTime(units);
        try {
            Files.setLastModifiedTime(units, FileTime.fromMillis(was.toMillis() + 2000));
            assertNotEquals(id, CodexCache.buildId(), "a recompiled Units.class");
        } finally {
            Files.setLastModifiedTime(units, was);
        }
    }

    @Test
    void anInvalidFileFailsExactlyAsWithoutACache() throws Exception {
        write(OPERATOR);
        Settings.load(codex, Map.of(), cache);
        Object kept = key(cache);
        for (String broken : List.of(
                "metadata:\n  name: 5\n",
                "capabilities:\n  telemetry:\n    batch_size: 0\n",
                "metadata:\n  name: [ok\n  x: 1\n",
                OPERATOR + "colour: red\n")) {
            Files.writeString(codex, broken);
            N0d3Exception without = assertThrows(N0d3Exception.class, () -> Settings.load(codex, Map.of(), null));
            N0d3Exception with = assertThrows(N0d3Exception.class, () -> Settings.load(codex, Map.of(), cache));
            assertEquals(without.getMessage(), with.getMessage());
            assertEquals(2, with.exitCode());
            assertTrue(
                    with.getMessage().matches(java.util.regex.Pattern.quote(codex.toString()) + ":\\d+:\\d+: .*"),
                    with.getMessage());
            assertEquals(kept, key(cache), "an invalid file is never cached");
        }
    }

    @Test
    void theCacheIsPrivateToItsOwner() throws Exception {
        write(OPERATOR);
        Settings.load(codex, Map.of(), cache);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        try (Stream<Path> left = Files.list(cache.getParent())) {
            assertEquals(List.of(cache), left.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aCacheThatCannotBeWrittenIsNotAnError() throws Exception {
        write(OPERATOR);
        Path readOnly = dir.resolve("ro");
        Files.createDirectories(
                readOnly, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        // /proc/self refuses new files even to root, which a mode 0555 directory does not
        for (Path c : List.of(
                readOnly.resolve("codex.validated"),
                notADir.resolve("codex.validated"),
                Path.of("/proc/self/codex.validated"))) {
            assertEquals("pi-7", Settings.load(codex, Map.of(), c).nodeName(), c.toString());
        }
        if (!Files.isWritable(readOnly)) {
            try (Stream<Path> in = Files.list(readOnly)) {
                assertEquals(0, in.count());
            }
        }
    }

    /** The child JVM's program: loads the settings through the cache, prints the bound codex. */
    public static final class Main {
        public static void main(String[] args) {
            Settings s = Settings.load(args.length > 1 ? Path.of(args[1]) : null, Map.of(), Path.of(args[0]));
            System.out.println("codex: " + s.codex());
        }
    }

    static ChildJvm.Result child(Path cwd, String classPathBefore, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                ChildJvm.java(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-Xlog:class+load=info:stdout",
                "-cp",
                (classPathBefore == null ? "" : classPathBefore + java.io.File.pathSeparator)
                        + System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        for (String v : Settings.ENV) env.put(v, null);
        ChildJvm.Result r = ChildJvm.run(cmd, env, cwd);
        assertEquals(0, r.exit(), r.stderr());
        return r;
    }

    static String codexLine(ChildJvm.Result r) {
        return r.stdout()
                .lines()
                .filter(l -> l.startsWith("codex: "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(r.stdout()));
    }

    static List<String> yamlOrDatabind(ChildJvm.Result r) {
        return r.stdout()
                .lines()
                .filter(l -> l.contains("com.fasterxml.jackson.dataformat.yaml")
                        || l.contains("org.yaml.snakeyaml")
                        || l.contains("com.fasterxml.jackson.databind")
                        || l.contains("com.networknt"))
                .toList();
    }

    @Test
    void aRepeatRunLoadsNoYamlNorDatabindAndAChangedEmbeddedDefaultIsSeen() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd")); // no ./codex.yaml: the embedded default alone
        Path c = dir.resolve("state/codex.validated");
        String expected =
                "codex: " + Settings.fromText("codex.yaml", "{}", Map.of()).codex();

        ChildJvm.Result first = child(cwd, null, c.toString());
        assertEquals(expected, codexLine(first));
        assertFalse(yamlOrDatabind(first).isEmpty(), "the first run parses YAML (else this test proves nothing)");
        Object written = key(c);

        ChildJvm.Result second = child(cwd, null, c.toString());
        assertEquals(expected, codexLine(second));
        assertEquals(List.of(), yamlOrDatabind(second), "a hit loads none of these");
        assertEquals(written, key(c));

        Path alt = Files.createDirectories(dir.resolve("alt")); // another embedded default, first on the class path
        Files.writeString(
                alt.resolve("codex.yaml"),
                CodexLoader.readResource("codex.yaml").replace("registry: ghcr.io", "registry: registry.example"));
        ChildJvm.Result changed = child(cwd, alt.toString(), c.toString());
        assertTrue(codexLine(changed).contains("registry=registry.example"), codexLine(changed));
        assertFalse(yamlOrDatabind(changed).isEmpty(), "a changed embedded default is parsed");
        assertNotEquals(written, key(c), "and the cache rewritten");

        Path op = dir.resolve("op.yaml");
        Files.writeString(op, OPERATOR);
        child(cwd, null, c.toString(), op.toString());
        ChildJvm.Result withFile = child(cwd, null, c.toString(), op.toString());
        assertEquals("codex: " + Settings.load(op, Map.of(), null).codex(), codexLine(withFile));
        assertEquals(List.of(), yamlOrDatabind(withFile), "a hit with an operator file loads none of these either");
    }
}
