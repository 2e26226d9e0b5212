package lib.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.secret.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** codex.yaml + the original project's environment overrides. */
class SettingsTest {
    static final Set<String> COVERED = new HashSet<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void quietLog() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void everyDocumentedVariableIsTested() {
        Log.reset();
        assertEquals(new HashSet<>(Settings.ENV), COVERED, "Settings.ENV and the variables tested here differ");
    }

    static Settings defaults(Map<String, String> env) {
        return Settings.fromText("codex.yaml", "{}", env);
    }

    /** The value with the variable unset, and with it set. */
    static <T> void overrides(String var, String value, Function<Settings, T> get, T withoutEnv, T withEnv) {
        COVERED.add(var);
        assertEquals(withoutEnv, get.apply(defaults(Map.of())), var + " unset");
        assertEquals(withEnv, get.apply(defaults(Map.of(var, value))), var + "=" + value);
        assertEquals(withoutEnv, get.apply(defaults(Map.of(var, "  "))), var + " blank counts as unset");
    }

    static void rejected(String var, String value, String message) {
        COVERED.add(var);
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> defaults(Map.of(var, value)), var + "=" + value);
        assertEquals(2, e.exitCode());
        assertEquals(message, e.getMessage());
    }

    @Test
    void mgmtNodeUrl() {
        overrides(
                "MGMT_NODE_URL",
                "https://mgmt.example:8443/",
                Settings::mgmtUrl,
                Optional.empty(),
                Optional.of(URI.create("https://mgmt.example:8443")));
        rejected(
                "MGMT_NODE_URL",
                "ftp://mgmt",
                "MGMT_NODE_URL: expected an http(s) URL such as https://mgmt.example:8443, got 'ftp://mgmt'");
        rejected(
                "MGMT_NODE_URL",
                "mgmt.example",
                "MGMT_NODE_URL: expected an http(s) URL such as https://mgmt.example:8443, got 'mgmt.example'");
        Settings s = Settings.fromText("c.yaml", "management: {api_endpoint: 'http://10.0.0.5:8080'}", Map.of());
        assertEquals(Optional.of(URI.create("http://10.0.0.5:8080")), s.mgmtUrl());
        assertEquals(
                Optional.of(URI.create("https://other")),
                Settings.fromText(
                                "c.yaml",
                                "management: {api_endpoint: 'http://10.0.0.5:8080'}",
                                Map.of("MGMT_NODE_URL", "https://other"))
                        .mgmtUrl(),
                "the environment wins over the file");
    }

    @Test
    void swarmManagerIpIsACommaList() {
        overrides(
                "SWARM_MANAGER_IP",
                "10.213.1.11, 10.213.1.12:2377,mgr3.example  10.0.0.9",
                Settings::swarmManagers,
                List.of(),
                List.of("10.213.1.11", "10.213.1.12:2377", "mgr3.example", "10.0.0.9"));
        assertEquals(
                List.of("10.0.0.1"),
                defaults(Map.of("SWARM_MANAGER_IP", "10.0.0.1")).swarmManagers());
        assertEquals(
                List.of("a", "b"),
                Settings.fromText("c.yaml", "capabilities: {swarm: {managers: [a, b]}}", Map.of())
                        .swarmManagers());
        rejected(
                "SWARM_MANAGER_IP",
                "10.0.0.1,10.0.0.2;rm",
                "SWARM_MANAGER_IP: expected a comma list of host or host:port, got '10.0.0.2;rm'");
    }

    @Test
    void nodeName() throws Exception {
        COVERED.add("NODE_NAME");
        assertEquals("edge-7", defaults(Map.of("NODE_NAME", "edge-7")).nodeName());
        assertEquals(
                "from-file",
                Settings.fromText("c.yaml", "metadata: {node_name: from-file}", Map.of())
                        .nodeName());
        assertEquals(
                "edge-7",
                Settings.fromText("c.yaml", "metadata: {node_name: from-file}", Map.of("NODE_NAME", "edge-7"))
                        .nodeName());
        assertEquals(
                Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(),
                defaults(Map.of()).nodeName(),
                "falls back to the kernel's host name");
    }

    @Test
    void telemetryInterval() {
        overrides(
                "TELEMETRY_INTERVAL",
                "30s",
                Settings::telemetryInterval,
                Duration.ofSeconds(60),
                Duration.ofSeconds(30));
        assertEquals(
                Duration.ofMinutes(5),
                defaults(Map.of("TELEMETRY_INTERVAL", "300")).telemetryInterval(),
                "bare seconds, as the original project");
        String from = "TELEMETRY_INTERVAL (environment variable, overrides capabilities.telemetry.interval): ";
        rejected(
                "TELEMETRY_INTERVAL",
                "soon",
                from + "expected a duration such as 500ms, 60s, 5m, 1h or 7d, got 'soon'");
        rejected(
                "TELEMETRY_INTERVAL",
                "0s",
                from + "expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, got '0s'");
        rejected("TELEMETRY_INTERVAL", "366d", from + "expected a duration of at most 365d, got '366d' (out of range)");
    }

    /** flag > environment > file > embedded default, and the flag's refusal names the flag and the key. */
    @Test
    void telemetryIntervalPrecedenceAndTheOneRule() {
        Settings file = Settings.fromText("c.yaml", "capabilities: {telemetry: {interval: 2m}}", Map.of());
        Settings env = Settings.fromText(
                "c.yaml", "capabilities: {telemetry: {interval: 2m}}", Map.of("TELEMETRY_INTERVAL", "45s"));
        assertEquals(Duration.ofSeconds(60), defaults(Map.of()).telemetryInterval(null), "embedded default");
        assertEquals(Duration.ofMinutes(2), file.telemetryInterval(null));
        assertEquals(Duration.ofSeconds(45), env.telemetryInterval(null));
        assertEquals(Duration.ofMillis(500), env.telemetryInterval("500ms"));
        for (String zero : List.of("0s", "0", "000ms")) {
            N0d3Exception e = assertThrows(N0d3Exception.class, () -> env.telemetryInterval(zero));
            assertEquals(2, e.exitCode());
            assertEquals(
                    "--interval (flag, overrides capabilities.telemetry.interval): expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, got '"
                            + zero + "'",
                    e.getMessage());
        }
    }

    @Test
    void registryImageNameVersion() {
        overrides("REGISTRY", "127.0.0.1:5000", s -> s.build(Settings.REGISTRY), "ghcr.io", "127.0.0.1:5000");
        overrides("IMAGE_NAME", "lab/n0d3", s -> s.build(Settings.IMAGE_NAME), "pr-cybr/n0d3", "lab/n0d3");
        overrides("VERSION", "1.2.3-rc1", s -> s.build(Settings.IMAGE_VERSION), lib.cli.Version.VERSION, "1.2.3-rc1");
        assertEquals(
                "9.9.9",
                Settings.fromText("c.yaml", "build: {version: 9.9.9}", Map.of()).build(Settings.IMAGE_VERSION));
    }

    @Test
    void zerotierNetworkId() {
        overrides(
                "ZEROTIER_NETWORK_ID",
                "8056C2E21C000001",
                Settings::zerotierNetworkId,
                Optional.empty(),
                Optional.of("8056c2e21c000001"));
        rejected(
                "ZEROTIER_NETWORK_ID",
                "8056c2e21c00000",
                "ZEROTIER_NETWORK_ID: expected 16 hexadecimal digits, got '8056c2e21c00000'");
        rejected(
                "ZEROTIER_NETWORK_ID",
                "8056c2e21c00000g",
                "ZEROTIER_NETWORK_ID: expected 16 hexadecimal digits, got '8056c2e21c00000g'");
    }

    /** NAME and NAME_FILE for each secret; the file wins. */
    void secret(String name, Function<Settings, Optional<Secret>> get, boolean hasFileVariant) throws Exception {
        COVERED.add(name);
        String v = name.toLowerCase(Locale.ROOT) + "-value-" + System.nanoTime();
        assertEquals(Optional.empty(), get.apply(defaults(Map.of())));
        assertEquals(v, get.apply(defaults(Map.of(name, v))).orElseThrow().reveal());
        if (!hasFileVariant) return;
        COVERED.add(name + "_FILE");
        Path f = dir.resolve(name.toLowerCase(Locale.ROOT));
        Files.writeString(f, v + "-from-file\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertEquals(
                v + "-from-file",
                get.apply(defaults(Map.of(name, v, name + "_FILE", f.toString())))
                        .orElseThrow()
                        .reveal());
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> get.apply(
                        defaults(Map.of(name + "_FILE", dir.resolve("missing").toString()))));
        assertEquals(2, e.exitCode());
        assertEquals(dir.resolve("missing") + ": secret file not found (given by " + name + "_FILE)", e.getMessage());
    }

    @Test
    void secrets() throws Exception {
        secret("API_TOKEN", Settings::apiToken, true);
        secret("SWARM_JOIN_TOKEN", s -> s.swarmJoinToken(null), true);
        secret("TAILSCALE_AUTH_KEY", Settings::tailscaleAuthKey, true);
        secret("ZEROTIER_API_TOKEN", Settings::zerotierApiToken, false);
    }

    @Test
    void swarmJoinTokenFileFlagWinsOverTheEnvironment() throws Exception {
        Path flag = dir.resolve("flag-token");
        Files.writeString(flag, "SWMTKN-1-aaaaaaaaaa-bbbbbbbbbb");
        Files.setPosixFilePermissions(flag, PosixFilePermissions.fromString("rw-------"));
        Settings s = defaults(Map.of("SWARM_JOIN_TOKEN", "from-env-123456"));
        assertEquals(
                "SWMTKN-1-aaaaaaaaaa-bbbbbbbbbb",
                s.swarmJoinToken(flag).orElseThrow().reveal());
    }

    @Test
    void operatorFileIsDeepMergedOverTheEmbeddedDefault() {
        Settings s = Settings.fromText("c.yaml", "capabilities:\n  swarm:\n    role: manager\n", Map.of());
        assertEquals("manager", s.swarmRole());
        assertEquals(Boolean.TRUE, s.codex().capabilities().swarm().enabled(), "sibling keys keep their defaults");
        assertEquals(Duration.ofSeconds(30), s.codex().capabilities().swarm().joinTimeout());
        assertEquals(Duration.ofSeconds(60), s.telemetryInterval());
        assertEquals(8, s.codex().security().networkPolicies().ports().size());
    }

    @Test
    void loadReadsTheGivenFileAndResolvesPathsAgainstItsFolder() throws Exception {
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, "management:\n  timeout: 3s\n");
        Settings s = Settings.load(f, Map.of());
        assertEquals(Duration.ofSeconds(3), s.mgmtTimeout());
        assertEquals(f, s.source());
        assertEquals(
                dir.toAbsolutePath().resolve("configs/zerotier/network.conf"),
                s.resolve("configs/zerotier/network.conf"));
        assertEquals(Path.of("/etc/x.conf"), s.resolve("/etc/x.conf"));
    }

    @Test
    void loadOfAMissingFileIsExit2NamingIt() {
        Path f = dir.resolve("nope.yaml");
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> Settings.load(f, Map.of()));
        assertEquals(2, e.exitCode());
        assertEquals(f + ": config file not found", e.getMessage());
    }

    @Test
    void toStringNamesVariablesButNeverValues() {
        Settings s = defaults(Map.of("API_TOKEN", "tok-should-not-show-1234"));
        assertTrue(s.toString().contains("API_TOKEN"));
        assertFalse(s.toString().contains("tok-should-not-show"));
    }
}
