package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lab.Lab;
import lab.LabTest;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Project;

/**
 * The project's own Dockerfile, built by the packaged jar (Failsafe, after `package`) for linux/amd64,
 * linux/arm64 and linux/arm/v7 in the lab. No registry here serves a Java base image, so the lab makes one:
 * tests/lab/jre-rootfs.sh unpacks Debian bookworm's openjdk-17-jre-headless and its dependencies per
 * architecture, each root file system becomes a FROM scratch image, and the three are pushed to the lab
 * registry as one manifest list, the JRE_IMAGE the Dockerfile is built FROM (as eclipse-temurin would be).
 */
@LabTest(id = 92, nodes = 1, registry = true, binfmt = true, hostDaemon = true, startTimeoutSeconds = 90)
class NodeImageIT {
    static final Duration LONG = Duration.ofMinutes(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[][] PLATFORMS = {
        {"linux/amd64", "amd64", "amd64"}, {"linux/arm64", "arm64", "arm64"}, {"linux/arm/v7", "armv7", "armhf"}
    };

    @TempDir
    static Path tmp;

    static String jreImage;

    static ProcessResult host(Lab lab, Duration t, String... cmd) {
        ProcessResult r = lab.hostExec(List.of(cmd), t);
        assertEquals(0, r.exitCode(), () -> String.join(" ", cmd) + ": " + r.stderr() + r.stdout());
        return r;
    }

    @BeforeAll
    static void javaBaseImage(Lab lab) throws IOException {
        ProcessResult rootfs = new ProcessRunner()
                .run(Command.of(
                                "bash",
                                Project.basedir()
                                        .resolve("tests/lab/jre-rootfs.sh")
                                        .toString(),
                                "amd64",
                                "arm64",
                                "armhf")
                        .timeout(LONG));
        List<String> tars = rootfs.stdout().strip().lines().toList();
        assertEquals(3, tars.size(), rootfs.stderr());
        Path ctx = Files.createDirectories(tmp.resolve("jre"));
        for (int i = 0; i < 3; i++) {
            Path link = ctx.resolve("rootfs-" + PLATFORMS[i][1] + ".tar");
            try {
                Files.createLink(link, Path.of(tars.get(i)));
            } catch (FileSystemException e) {
                Files.copy(Path.of(tars.get(i)), link);
            }
        }
        // buildx: TARGETARCH amd64, arm64, arm (+ TARGETVARIANT v7)
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM scratch\nARG TARGETARCH\nARG TARGETVARIANT\nADD rootfs-${TARGETARCH}${TARGETVARIANT}.tar /\n");
        String repo = lab.registry() + "/lab/jre17";
        List<String> sources =
                new ArrayList<>(List.of("docker", "buildx", "imagetools", "create", "--tag", repo + ":17"));
        for (String[] p : PLATFORMS) {
            host(
                    lab,
                    LONG,
                    "docker",
                    "buildx",
                    "build",
                    "--platform",
                    p[0],
                    "--tag",
                    repo + ":17-" + p[1],
                    "--load",
                    ctx.toString());
            host(lab, LONG, "docker", "push", "--quiet", repo + ":17-" + p[1]);
            sources.add(repo + ":17-" + p[1]);
        }
        host(lab, LONG, sources.toArray(String[]::new));
        jreImage = repo + ":17";
    }

    static ScriptRun.Result jar(Lab lab, Path dockerConfig, String... args) {
        Path jar = Project.packagedJar();
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", lab.hostDockerHost());
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.put("REGISTRY", lab.registry());
        env.put("IMAGE_NAME", "pr-cybr/n0d3");
        env.put("VERSION", "it1");
        env.put("NO_COLOR", "1");
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return ScriptRun.exec(cmd, env, LONG);
    }

    @Test
    void theNodeImageIsBuiltForThreePlatformsRunsItsScriptsAndIsPublishedAsOneList(Lab lab) throws IOException {
        String version = Project.pom().version();
        Path cfg = Files.createDirectories(tmp.resolve("docker-config"));
        List<String> common = List.of(
                "--context",
                Project.basedir().toString(),
                "--build-arg",
                "JRE_IMAGE=" + jreImage,
                "--revision",
                "89abcdef0123456789abcdef0123456789abcdef",
                "--smoke-expect",
                "^n0d3 " + version.replace(".", "\\.") + "$",
                "--push",
                "--json");
        List<String> amdArgs = new ArrayList<>(List.of("build-amd"));
        amdArgs.addAll(common);
        ScriptRun.Result amd = jar(lab, cfg, amdArgs.toArray(String[]::new));
        assertEquals(0, amd.exit(), amd::toString);
        List<String> armArgs = new ArrayList<>(List.of("build-arm"));
        armArgs.addAll(common);
        armArgs.add("--manifest");
        ScriptRun.Result arm = jar(lab, cfg, armArgs.toArray(String[]::new));
        assertEquals(0, arm.exit(), arm::toString);
        System.err.println("node image: amd64 " + amd.millis() + " ms, arm64+armv7 (QEMU) " + arm.millis() + " ms");

        // the default smoke test is the image's own version command, on each platform
        JsonNode a = JSON.readTree(amd.stdout()).path("platforms");
        JsonNode r = JSON.readTree(arm.stdout()).path("platforms");
        assertEquals("--version", a.path(0).path("smoke").path("command").asText());
        for (JsonNode p : List.of(a.path(0), r.path(0), r.path(1))) {
            assertEquals("n0d3 " + version, p.path("smoke").path("output").asText(), p.toString());
        }

        // the registry serves one list of exactly the three images
        RegistryApi reg = new RegistryApi(lab.registry());
        Map<String, String> expected = new HashMap<>();
        for (String[] p : PLATFORMS)
            expected.put(p[0], reg.manifest("pr-cybr/n0d3", "it1-" + p[1]).digestHeader());
        assertEquals(expected, reg.manifest("pr-cybr/n0d3", "it1").platforms());

        // the images: non-root, health check, the telemetry daemon by default, the scripts runnable on every platform
        for (String[] p : PLATFORMS) {
            String ref = lab.registry() + "/pr-cybr/n0d3:it1-" + p[1];
            JsonNode cfgNode = lab.hostDocker().get("/images/" + ref + "/json").path("Config");
            assertEquals("10001:10001", cfgNode.path("User").asText());
            assertEquals(
                    "[\"CMD\",\"/usr/local/bin/n0d3-healthcheck\"]",
                    cfgNode.path("Healthcheck").path("Test").toString());
            assertEquals("[\"telemetry\",\"--daemon\"]", cfgNode.path("Cmd").toString());
            assertEquals(
                    "it1",
                    cfgNode.path("Labels")
                            .path("org.opencontainers.image.version")
                            .asText());
            ProcessResult detect = host(
                    lab,
                    Duration.ofMinutes(3),
                    "docker",
                    "run",
                    "--rm",
                    "--platform",
                    p[0],
                    ref,
                    "install",
                    "--detect",
                    "--json");
            JsonNode facts = JSON.readTree(detect.stdout());
            assertEquals(p[1], facts.path("architecture").asText(), detect.stdout());
            assertEquals(
                    Platforms.machine(lib.host.Arch.fromPlatform(p[0])),
                    facts.path("machine").asText());
        }
        String amdRef = lab.registry() + "/pr-cybr/n0d3:it1-amd64";
        assertEquals(
                "10001\n",
                host(lab, Duration.ofMinutes(1), "docker", "run", "--rm", "--entrypoint", "id", amdRef, "-u")
                        .stdout());
        ProcessResult health = lab.hostExec(
                List.of("docker", "run", "--rm", "--entrypoint", "/usr/local/bin/n0d3-healthcheck", amdRef),
                Duration.ofMinutes(1));
        assertEquals(1, health.exitCode());
        assertEquals("unhealthy: nothing listens on 127.0.0.1:10464\n", health.stdout());
    }

    /**
     * The docker service create line of the Dockerfile and SOP-007, without its management-node options, on a one-node lab
     * swarm: the global service runs its task, the image's HEALTHCHECK turns it healthy, and the daemon as uid 10001 reads
     * the swarm through the mounted socket (--group) and carries the node's host name.
     */
    @Test
    void theTelemetryDaemonRunsAsAGlobalSwarmServiceAndTurnsHealthy(Lab lab) throws Exception {
        Path cfg = Files.createDirectories(tmp.resolve("docker-config-svc"));
        ScriptRun.Result amd = jar(
                lab,
                cfg,
                "build-amd",
                "--context",
                Project.basedir().toString(),
                "--build-arg",
                "JRE_IMAGE=" + jreImage,
                "--revision",
                "89abcdef0123456789abcdef0123456789abcdef",
                "--image-version",
                "svc");
        assertEquals(0, amd.exit(), amd::toString);
        String ref = lab.registry() + "/pr-cybr/n0d3:svc-amd64";
        // node1's dockerd lives in its own network namespace, where 127.0.0.1 is not the lab registry: hand it the
        // image
        ProcessResult load = new ProcessRunner()
                .runAnyExit(Command.of(
                                "bash",
                                "-c",
                                "set -o pipefail; DOCKER_HOST=" + lab.hostDockerHost() + " docker save " + ref
                                        + " | DOCKER_HOST=" + lab.node(1).dockerHost() + " docker load")
                        .timeout(LONG));
        assertEquals(0, load.exitCode(), load.stderr());
        lab.node(1).docker().swarmInit("0.0.0.0:2377", lab.node(1).ip());
        String sock = lab.node(1).socket().toString();
        List<String> create = List.of(
                "docker",
                "service",
                "create",
                "--name",
                "pr-cybr-telemetry",
                "--mode",
                "global",
                "--hostname",
                "{{.Node.Hostname}}",
                "--mount",
                "type=bind,src=" + sock + ",dst=/var/run/docker.sock,readonly",
                "--mount",
                "type=volume,src=pr-cybr-telemetry,dst=/var/lib/pr-cybr/telemetry",
                "--group",
                Integer.toString((Integer) Files.getAttribute(lab.node(1).socket(), "unix:gid")),
                "--detach",
                ref);
        ProcessResult svc = lab.node(1).exec(create, Duration.ofMinutes(2));
        assertEquals(0, svc.exitCode(), svc.stderr());
        String health = "";
        String container = "";
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!health.equals("healthy") && System.nanoTime() < end) {
            Thread.sleep(2000);
            for (JsonNode c : lab.node(1).docker().containers(false)) {
                container = c.path("Id").asText();
                health = lab.node(1)
                        .docker()
                        .container(container)
                        .path("State")
                        .path("Health")
                        .path("Status")
                        .asText("");
            }
        }
        assertEquals("healthy", health, "the task's container never turned healthy");
        ProcessResult once = lab.node(1)
                .exec(
                        List.of(
                                "docker",
                                "exec",
                                container,
                                "java",
                                "-jar",
                                "/opt/n0d3/n0d3.jar",
                                "telemetry",
                                "--once",
                                "--output",
                                "-"),
                        Duration.ofMinutes(2));
        assertEquals(0, once.exitCode(), once.stderr());
        JsonNode sample = JSON.readTree(once.stdout());
        assertEquals("node1", sample.path("hostname").asText());
        assertEquals(
                "manager",
                sample.path("metrics").path("docker").path("swarm").path("role").asText(),
                once.stdout());
        assertEquals(
                "10001\n",
                lab.node(1)
                        .exec(List.of("docker", "exec", container, "id", "-u"), Duration.ofSeconds(30))
                        .stdout());
    }
}
