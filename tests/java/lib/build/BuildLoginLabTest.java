package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lab.Lab;
import lab.LabTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.HtpasswdRegistry;
import support.SecretSweep;

/**
 * Registry login against a real docker-registry that demands credentials (support.HtpasswdRegistry). Every
 * docker command the build runs goes through a recording wrapper on PATH (support.SecretSweep.recordingShim: it
 * writes its argv and its environment, then execs the real docker): the evidence, swept by support.SecretSweep,
 * that the password travels on standard input only, never on a command line, in the environment of docker, on
 * our stdout or stderr. security.SecretSweepLabTest runs the same login among every script's secrets.
 */
@LabTest(id = 91, nodes = 1, hostDaemon = true)
class BuildLoginLabTest {
    static final String USER = "ci-bot";
    static final String PASSWORD = "Lab-registry-pw-7f3c9a";

    @TempDir
    static Path tmp;

    static HtpasswdRegistry registry;
    static String address;
    static Path ctx;
    static Path argvLog;
    static Path shimDir;

    @BeforeAll
    static void authenticatedRegistry(Lab lab) throws Exception {
        registry = HtpasswdRegistry.start(tmp.resolve("registry"), USER, PASSWORD);
        address = registry.address();

        ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.copy(lab.busyboxBinary("amd64"), ctx.resolve("busybox"));
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nCMD [\"/bin/busybox\", \"uname\", \"-m\"]\n");

        argvLog = tmp.resolve("docker-argv.log");
        shimDir = tmp.resolve("shim");
        SecretSweep.recordingShim(shimDir, "docker", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), argvLog);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
    }

    Map<String, String> env(Lab lab, Path dockerConfig) {
        Map<String, String> e = new HashMap<>();
        e.put("PATH", shimDir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("DOCKER_HOST", lab.hostDockerHost());
        e.put("DOCKER_CONFIG", dockerConfig.toString());
        e.put("REGISTRY", address);
        e.put("IMAGE_NAME", "private/node");
        e.put("NO_COLOR", "1");
        return e;
    }

    ScriptRun.Result push(Map<String, String> env, String version, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--context",
                ctx.toString(),
                "--revision",
                "1234567",
                "--image-version",
                version,
                "--smoke-cmd",
                "/bin/busybox uname -m",
                "--smoke-expect",
                "^{machine}$",
                "--push"));
        args.addAll(List.of(more));
        return ScriptRun.run("build_amd", env, Duration.ofMinutes(10), args.toArray(String[]::new));
    }

    static void assertNoPasswordAnywhere(ScriptRun.Result r) {
        try (SecretSweep sweep = SecretSweep.start(
                Map.of("the registry password", PASSWORD, "the wrong password", "Wrong-" + PASSWORD), null)) {
            sweep.text("our output", r.all()).files(argvLog, p -> false);
            assertEquals(List.of(), sweep.leaks(), "docker's argv and environment are in " + argvLog);
        }
    }

    @Test
    void withoutCredentialsTheRegistryRefusesThePush(Lab lab) throws IOException {
        ScriptRun.Result r = push(env(lab, Files.createDirectories(tmp.resolve("cfg-none"))), "n1");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(
                r.stderr()
                        .contains(
                                "error: docker push " + address
                                        + "/private/node:n1-amd64 failed: no basic auth credentials"
                                        + " (the registry wants credentials: set REGISTRY_USERNAME and REGISTRY_PASSWORD_FILE, or run docker login first)"),
                r.stderr());
        assertEquals(
                404,
                new RegistryApi(address, USER, PASSWORD)
                        .manifest("private/node", "n1-amd64")
                        .status());
    }

    @Test
    void aWrongPasswordFailsTheLoginWithoutShowingIt(Lab lab) throws IOException {
        Map<String, String> env = env(lab, Files.createDirectories(tmp.resolve("cfg-wrong")));
        env.put("REGISTRY_USERNAME", USER);
        env.put("REGISTRY_PASSWORD", "Wrong-" + PASSWORD);
        ScriptRun.Result r = push(env, "n2");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.stderr().contains("error: registry login to " + address + " as " + USER + " failed"), r.stderr());
        assertFalse(r.all().contains("Wrong-" + PASSWORD), r::toString);
        assertNoPasswordAnywhere(r);
    }

    @Test
    void loginWithAPasswordFileThenPushAndManifest(Lab lab) throws IOException {
        Files.deleteIfExists(argvLog);
        Path cfg = Files.createDirectories(tmp.resolve("cfg-file"));
        Path pw = Files.writeString(tmp.resolve("registry-password"), PASSWORD + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> env = env(lab, cfg);
        env.put("REGISTRY_USERNAME", USER);
        env.put("REGISTRY_PASSWORD_FILE", pw.toString());
        ScriptRun.Result r = push(env, "n3", "--manifest", "--manifest-platform", "linux/amd64");
        assertEquals(0, r.exit(), r::toString);
        assertNoPasswordAnywhere(r);

        String argv = Files.readString(argvLog);
        assertTrue(argv.contains("argv: login --username " + USER + " --password-stdin " + address + "\n"), argv);
        assertTrue(
                r.stderr()
                        .contains("docker login to " + address + " as " + USER + " (password from file " + pw
                                + ", on standard input)"),
                r.stderr());

        RegistryApi reg = new RegistryApi(address, USER, PASSWORD);
        RegistryApi.Manifest image = reg.manifest("private/node", "n3-amd64");
        assertEquals(200, image.status());
        RegistryApi.Manifest list = reg.manifest("private/node", "n3");
        assertEquals(200, list.status());
        assertEquals(Map.of("linux/amd64", image.digestHeader()), list.platforms());
        assertEquals(
                401,
                new RegistryApi(address).manifest("private/node", "n3").status(),
                "the registry really demands credentials");

        // docker keeps the login in DOCKER_CONFIG/config.json, readable by its owner only
        Path config = cfg.resolve("config.json");
        assertTrue(Files.readString(config).contains("\"" + address + "\""));
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(config);
        assertFalse(
                perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ),
                perms.toString());
    }

    @Test
    void loginWithThePasswordInTheEnvironmentKeepsItOutOfDockersEnvironment(Lab lab) throws IOException {
        Files.deleteIfExists(argvLog);
        Map<String, String> env = env(lab, Files.createDirectories(tmp.resolve("cfg-env")));
        env.put("REGISTRY_USERNAME", USER);
        env.put("REGISTRY_PASSWORD", PASSWORD);
        ScriptRun.Result r = push(env, "n4", "--verbose");
        assertEquals(0, r.exit(), r::toString);
        assertNoPasswordAnywhere(r);
        assertTrue(Files.readString(argvLog).contains("argv: push " + address + "/private/node:n4-amd64\n"));
        assertEquals(
                200,
                new RegistryApi(address, USER, PASSWORD)
                        .manifest("private/node", "n4-amd64")
                        .status());
    }
}
