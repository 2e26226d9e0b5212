package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import lab.Lab;
import lab.LabTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Registry login against a real docker-registry that demands credentials (htpasswd, bcrypt), started here on
 * a free loopback port. Every docker command the build runs goes through a recording wrapper on PATH (it
 * writes its argv and whether a secret is in its environment, then execs the real docker): the evidence
 * that the password travels on standard input only, never on a command line, in the environment of docker,
 * on our stdout or stderr.
 */
@LabTest(id = 91, nodes = 1, hostDaemon = true)
class BuildLoginLabTest {
    static final String USER = "ci-bot";
    static final String PASSWORD = "Lab-registry-pw-7f3c9a";

    @TempDir
    static Path tmp;
    static Process registry;
    static String address;
    static Path ctx;
    static Path argvLog;
    static Path shimDir;

    @BeforeAll
    static void authenticatedRegistry(Lab lab) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        address = "127.0.0.1:" + port;
        Path dir = Files.createDirectories(tmp.resolve("registry"));
        Files.writeString(dir.resolve("htpasswd"), USER + ":" + BCrypt.hashpw(PASSWORD, BCrypt.gensalt(6)) + "\n");
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                auth:
                  htpasswd:
                    realm: n0d3-lab
                    path: %s
                """.formatted(dir.resolve("data"), address, dir.resolve("htpasswd")));
        registry = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        RegistryApi open = new RegistryApi(address);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (open.ping() != 401) {
            if (!registry.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("registry did not come up on " + address + ": " + Files.readString(dir.resolve("log")));
            }
            Thread.sleep(100);
        }

        ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.copy(lab.busyboxBinary("amd64"), ctx.resolve("busybox"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\nCMD [\"/bin/busybox\", \"uname\", \"-m\"]\n");

        // the recording wrapper: argv (one per line), then whether REGISTRY_PASSWORD reached docker's environment
        argvLog = tmp.resolve("docker-argv.log");
        shimDir = Files.createDirectories(tmp.resolve("shim"));
        String realDocker = realDocker();
        Path shim = shimDir.resolve("docker");
        Files.writeString(shim, "#!/bin/bash\n{ printf '%s\\n' \"$@\"; [ -n \"${REGISTRY_PASSWORD+x}\" ] && echo ENV-HAS-REGISTRY_PASSWORD;"
                + " echo ---; } >>'" + argvLog + "'\nexec '" + realDocker + "' \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.destroy();
            if (!registry.waitFor(10, TimeUnit.SECONDS)) registry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String realDocker() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, "docker");
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new AssertionError("no docker CLI on PATH");
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
        List<String> args = new java.util.ArrayList<>(List.of("--context", ctx.toString(), "--revision", "1234567", "--image-version", version,
                "--smoke-cmd", "/bin/busybox uname -m", "--smoke-expect", "^{machine}$", "--push"));
        args.addAll(List.of(more));
        return ScriptRun.run("build_amd", env, Duration.ofMinutes(10), args.toArray(String[]::new));
    }

    static void assertNoPasswordAnywhere(ScriptRun.Result r) throws IOException {
        assertFalse(r.all().contains(PASSWORD), "password in our output:\n" + r);
        String argv = Files.exists(argvLog) ? Files.readString(argvLog) : "";
        assertFalse(argv.contains(PASSWORD), "password on a docker command line:\n" + argv);
        assertFalse(argv.contains("ENV-HAS-REGISTRY_PASSWORD"), "REGISTRY_PASSWORD reached docker's environment:\n" + argv);
    }

    @Test
    void withoutCredentialsTheRegistryRefusesThePush(Lab lab) throws IOException {
        ScriptRun.Result r = push(env(lab, Files.createDirectories(tmp.resolve("cfg-none"))), "n1");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.stderr().contains("error: docker push " + address + "/private/node:n1-amd64 failed: no basic auth credentials"
                + " (the registry wants credentials: set REGISTRY_USERNAME and REGISTRY_PASSWORD_FILE, or run docker login first)"), r.stderr());
        assertEquals(404, new RegistryApi(address, USER, PASSWORD).manifest("private/node", "n1-amd64").status());
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
        assertTrue(argv.contains("login\n--username\n" + USER + "\n--password-stdin\n" + address + "\n---\n"), argv);
        assertTrue(r.stderr().contains("docker login to " + address + " as " + USER + " (password from file " + pw + ", on standard input)"), r.stderr());

        RegistryApi reg = new RegistryApi(address, USER, PASSWORD);
        RegistryApi.Manifest image = reg.manifest("private/node", "n3-amd64");
        assertEquals(200, image.status());
        RegistryApi.Manifest list = reg.manifest("private/node", "n3");
        assertEquals(200, list.status());
        assertEquals(Map.of("linux/amd64", image.digestHeader()), list.platforms());
        assertEquals(401, new RegistryApi(address).manifest("private/node", "n3").status(), "the registry really demands credentials");

        // docker keeps the login in DOCKER_CONFIG/config.json, readable by its owner only
        Path config = cfg.resolve("config.json");
        assertTrue(Files.readString(config).contains("\"" + address + "\""));
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(config);
        assertFalse(perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ), perms.toString());
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
        assertTrue(Files.readString(argvLog).contains("push\n" + address + "/private/node:n4-amd64\n---\n"));
        assertEquals(200, new RegistryApi(address, USER, PASSWORD).manifest("private/node", "n4-amd64").status());
    }
}
