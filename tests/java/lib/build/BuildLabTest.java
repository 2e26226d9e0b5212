package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lab.Lab;
import lab.LabTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build_amd.java and build_arm.java against the real thing: the lab's host dockerd with buildx (docker
 * driver), QEMU through the kernel's binfmt_misc, and a loopback docker-registry whose own HTTP API is the
 * evidence. Test images are FROM scratch + the static busybox of each architecture (no Docker Hub here);
 * a RUN step executes the foreign busybox during the build, and the smoke test's uname -m proves what ran.
 */
@LabTest(id = 90, nodes = 1, registry = true, binfmt = true, hostDaemon = true)
class BuildLabTest {
    static final String SHA = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    static final Duration BUILD = Duration.ofMinutes(10);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path ctx;
    static Path dockerConfig;

    @BeforeAll
    static void context(Lab lab) throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        // buildx names the architectures amd64, arm64 and arm (TARGETARCH; armv7 is arm + TARGETVARIANT v7)
        Files.copy(lab.busyboxBinary("amd64"), ctx.resolve("busybox-amd64"));
        Files.copy(lab.busyboxBinary("arm64"), ctx.resolve("busybox-arm64"));
        Files.copy(lab.busyboxBinary("armv7"), ctx.resolve("busybox-arm"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM scratch
                ARG TARGETARCH
                COPY busybox-${TARGETARCH} /bin/busybox
                RUN ["/bin/busybox", "--install", "-s", "/bin"]
                CMD ["uname", "-m"]
                """);
        dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
    }

    static Map<String, String> env(Lab lab, String version) {
        Map<String, String> e = new HashMap<>();
        e.put("DOCKER_HOST", lab.hostDockerHost());
        e.put("DOCKER_CONFIG", dockerConfig.toString());
        e.put("REGISTRY", lab.registry());
        e.put("IMAGE_NAME", "lab/node");
        e.put("VERSION", version);
        e.put("NO_COLOR", "1");
        return e;
    }

    static ScriptRun.Result build(String script, Map<String, String> env, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(
                "--context",
                ctx.toString(),
                "--revision",
                SHA,
                "--smoke-cmd",
                "uname -m",
                "--smoke-expect",
                "^{machine}$"));
        all.addAll(List.of(args));
        return ScriptRun.run(script, env, BUILD, all.toArray(String[]::new));
    }

    static JsonNode json(ScriptRun.Result r) throws IOException {
        return JSON.readTree(r.stdout());
    }

    static JsonNode image(Lab lab, String ref) {
        return lab.hostDocker().get("/images/" + ref + "/json");
    }

    @Test
    void amd64IsBuiltLabelledAndSmokeTestedNatively(Lab lab) throws IOException {
        ScriptRun.Result r = build("build_amd", env(lab, "t1"), "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode p = json(r).path("platforms").path(0);
        assertEquals("linux/amd64", p.path("platform").asText());
        assertEquals("x86_64", p.path("smoke").path("output").asText());
        assertFalse(p.path("emulated").asBoolean(true));

        String ref = lab.registry() + "/lab/node:t1-amd64";
        JsonNode img = image(lab, ref);
        assertEquals("amd64", img.path("Architecture").asText());
        assertEquals(p.path("image_id").asText(), img.path("Id").asText());
        JsonNode labels = img.path("Config").path("Labels");
        assertEquals(SHA, labels.path("org.opencontainers.image.revision").asText());
        assertEquals("t1", labels.path("org.opencontainers.image.version").asText());
        assertEquals("node", labels.path("org.opencontainers.image.title").asText());
        assertEquals(
                "https://github.com/PR-CYBR/PR-CYBR-N0D3",
                labels.path("org.opencontainers.image.source").asText());
        Instant created =
                Instant.parse(labels.path("org.opencontainers.image.created").asText());
        assertTrue(Duration.between(created, Instant.now()).abs().toMinutes() < 10, created.toString());
        assertEquals(
                img.path("Id").asText(),
                image(lab, lab.registry() + "/lab/node:sha-0a1b2c3-amd64")
                        .path("Id")
                        .asText());
        assertEquals(
                404,
                new RegistryApi(lab.registry()).manifest("lab/node", "t1-amd64").status(),
                "built but not pushed");
    }

    @Test
    void arm64AndArmv7AreBuiltAndRunUnderQemu(Lab lab) throws IOException {
        ScriptRun.Result r = build("build_arm", env(lab, "t2"), "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode ps = json(r).path("platforms");
        assertEquals("linux/arm64", ps.path(0).path("platform").asText());
        assertEquals("aarch64", ps.path(0).path("smoke").path("output").asText());
        assertTrue(ps.path(0).path("emulated").asBoolean());
        assertEquals("linux/arm/v7", ps.path(1).path("platform").asText());
        assertEquals("armv7l", ps.path(1).path("smoke").path("output").asText());

        // the images are what they claim, checked without our code: image config and a run of our own
        JsonNode arm = image(lab, lab.registry() + "/lab/node:t2-armv7");
        assertEquals("arm", arm.path("Architecture").asText());
        assertEquals("v7", arm.path("Variant").asText());
        assertEquals(
                "arm64",
                image(lab, lab.registry() + "/lab/node:t2-arm64")
                        .path("Architecture")
                        .asText());
        var run = lab.hostExec(
                List.of(
                        "docker",
                        "run",
                        "--rm",
                        "--network",
                        "none",
                        "--platform",
                        "linux/arm/v7",
                        lab.registry() + "/lab/node:t2-armv7",
                        "sh",
                        "-c",
                        "uname -m; busybox | head -n1"),
                Duration.ofMinutes(2));
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().startsWith("armv7l\nBusyBox v1."), run.stdout());
    }

    @Test
    void pushAndManifestListAsTheRegistryServesThem(Lab lab) throws IOException {
        Path outputs = tmp.resolve("github-output");
        Path summary = tmp.resolve("github-summary.md");
        Map<String, String> env = env(lab, "t3");
        ScriptRun.Result amd = build("build_amd", env, "--push");
        assertEquals(0, amd.exit(), amd::toString);
        env.put("GITHUB_OUTPUT", outputs.toString());
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        ScriptRun.Result arm = build("build_arm", env, "--push", "--manifest", "--json");
        assertEquals(0, arm.exit(), arm::toString);

        RegistryApi reg = new RegistryApi(lab.registry());
        Map<String, String> perArch = new HashMap<>();
        for (String[] a :
                new String[][] {{"linux/amd64", "amd64"}, {"linux/arm64", "arm64"}, {"linux/arm/v7", "armv7"}}) {
            RegistryApi.Manifest m = reg.manifest("lab/node", "t3-" + a[1]);
            assertEquals(200, m.status(), "t3-" + a[1]);
            assertEquals("application/vnd.docker.distribution.manifest.v2+json", m.mediaType());
            assertEquals(ManifestList.sha256(m.body()), m.digestHeader());
            assertEquals(
                    m.digestHeader(),
                    reg.manifest("lab/node", "sha-0a1b2c3-" + a[1]).digestHeader());
            perArch.put(a[0], m.digestHeader());
        }
        RegistryApi.Manifest list = reg.manifest("lab/node", "t3");
        assertEquals(200, list.status());
        assertTrue(
                Set.of(ManifestList.DOCKER_LIST, ManifestList.OCI_INDEX).contains(list.mediaType()), list.mediaType());
        assertEquals(3, list.json().path("manifests").size(), "exactly three entries");
        assertEquals(
                perArch,
                list.platforms(),
                "exactly the expected platforms, each the digest of its per-architecture tag");
        assertEquals(
                list.digestHeader(), reg.manifest("lab/node", "sha-0a1b2c3").digestHeader());

        // what we printed and wrote for GitHub agrees with the registry
        JsonNode report = json(arm);
        assertEquals(list.digestHeader(), report.path("manifest").path("digest").asText());
        String out = Files.readString(outputs);
        assertTrue(out.contains("manifest_digest=" + list.digestHeader() + "\n"), out);
        assertTrue(out.contains("digest_amd64=" + perArch.get("linux/amd64") + "\n"), out);
        assertTrue(out.contains("digest_armv7=" + perArch.get("linux/arm/v7") + "\n"), out);
        assertTrue(out.contains("tags<<ghadelimiter_"), out);
        String md = Files.readString(summary);
        assertTrue(md.contains("| linux/arm/v7 | `" + perArch.get("linux/arm/v7") + "` |"), md);

        // --manifest-only from another job: the same list again, nothing changes
        ScriptRun.Result again =
                ScriptRun.run("build_arm", env(lab, "t3"), BUILD, "--manifest-only", "--revision", SHA, "--json");
        assertEquals(0, again.exit(), again::toString);
        assertEquals(list.digestHeader(), reg.manifest("lab/node", "t3").digestHeader());
        assertEquals(
                list.digestHeader(), json(again).path("manifest").path("digest").asText());
    }

    @Test
    void manifestOfAPlatformNeverPushedFailsNamingIt(Lab lab) {
        ScriptRun.Result r = ScriptRun.run("build_arm", env(lab, "t6"), BUILD, "--manifest-only", "--revision", SHA);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(
                r.stderr()
                        .contains("cannot read " + lab.registry()
                                + "/lab/node:t6-amd64 from the registry: push it first (build_amd.java --push)"),
                r.stderr());
        assertEquals(
                404, new RegistryApi(lab.registry()).manifest("lab/node", "t6").status());
    }

    @Test
    void aFailingSmokeTestExits1AndPushesNothing(Lab lab) throws IOException {
        ScriptRun.Result r = ScriptRun.run(
                "build_arm",
                env(lab, "t4"),
                BUILD,
                "--context",
                ctx.toString(),
                "--revision",
                SHA,
                "--platform",
                "linux/arm64",
                "--push",
                "--smoke-cmd",
                "uname -m",
                "--smoke-expect",
                "^x86_64$");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(
                r.stderr()
                        .contains("error: smoke test of " + lab.registry()
                                + "/lab/node:t4-arm64 (linux/arm64, under QEMU) failed:"
                                + " 'uname -m' printed 'aarch64', which does not match ^x86_64$"),
                r.stderr());
        ScriptRun.Result f = ScriptRun.run(
                "build_amd",
                env(lab, "t4"),
                BUILD,
                "--context",
                ctx.toString(),
                "--revision",
                SHA,
                "--push",
                "--smoke-cmd",
                "sh -c 'echo broken >&2; exit 7'");
        assertEquals(1, f.exit(), f::toString);
        // only the container's own output is judged; docker's warnings (on a host with net.ipv4.ip_forward = 0 the host
        // daemon's "IPv4 forwarding is disabled") are reported apart, before the verdict
        List<String> errLines = f.stderr().strip().lines().toList();
        assertEquals(
                "error: smoke test of " + lab.registry() + "/lab/node:t4-amd64 (linux/amd64, native) failed:"
                        + " 'sh -c echo broken >&2; exit 7' exited 7: broken",
                errLines.get(errLines.size() - 1),
                f.stderr());
        String warning =
                "warning: docker, creating the smoke test container of linux/amd64: WARNING: IPv4 forwarding is disabled."
                        + " Networking will not work.";
        assertEquals(
                ipForwarding() ? 0 : 1,
                errLines.stream().filter(warning::equals).count(),
                f.stderr());
        var left = lab.hostExec(
                List.of(
                        "docker",
                        "ps",
                        "--all",
                        "--quiet",
                        "--filter",
                        "ancestor=" + lab.registry() + "/lab/node:t4-amd64"),
                Duration.ofSeconds(30));
        assertEquals("", left.stdout().strip(), "the smoke test container is removed after a failure");
        RegistryApi reg = new RegistryApi(lab.registry());
        assertEquals(404, reg.manifest("lab/node", "t4-arm64").status());
        assertEquals(404, reg.manifest("lab/node", "t4-amd64").status());
    }

    /** The root namespace's net.ipv4.ip_forward, which the lab's host daemon (--ip-forward=false) leaves as it is. */
    static boolean ipForwarding() throws IOException {
        return Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"))
                .strip()
                .equals("1");
    }

    /** A binfmt_misc of our own (a new user and mount namespace: its own instance, kernel 6.7+), empty at first. */
    static List<String> privateBinfmt(Path dir) {
        return List.of(
                "unshare",
                "--user",
                "--map-root-user",
                "--mount",
                "bash",
                "-c",
                "mount -t binfmt_misc binfmt_misc \"$0\" && exec \"$@\"",
                dir.toString());
    }

    @Test
    void withoutQemuTheBuildStopsNamingSetupQemuAndBuildsNothing(Lab lab) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("binfmt-empty"));
        ScriptRun.Result r = ScriptRun.run(
                privateBinfmt(dir),
                "build_arm",
                env(lab, "t5"),
                BUILD,
                "--context",
                ctx.toString(),
                "--binfmt-dir",
                dir.toString(),
                "--platform",
                "linux/arm/v7");
        assertEquals(3, r.exit(), r::toString);
        assertEquals(
                "error: linux/arm/v7 is not this host's architecture and needs QEMU user emulation, but no binfmt_misc handler"
                        + " for its binaries is registered in " + dir
                        + ": run again with --setup-qemu (as root; it registers qemu-arm from"
                        + " /usr/lib/binfmt.d, shipped by the qemu-user-static package)",
                r.stderr().strip().lines().reduce((a, b) -> b).orElse(""));
        var images = lab.hostExec(
                List.of("docker", "images", "-q", lab.registry() + "/lab/node:t5-armv7"), Duration.ofSeconds(30));
        assertEquals("", images.stdout().strip(), "nothing was built");
    }

    @Test
    void setupQemuRegistersIntoARealBinfmtMiscOnceAndThenChangesNothing(Lab lab) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("binfmt-setup"));
        String java = String.join(
                " ",
                ScriptRun.javaCommand("build_arm", List.of("--qemu-only", "--binfmt-dir", dir.toString())).stream()
                        .map(s -> "'" + s.replace("'", "'\\''") + "'")
                        .toList());
        // one namespace for the three runs: missing, registered, already there
        ScriptRun.Result r = ScriptRun.exec(
                List.of(
                        "unshare",
                        "--user",
                        "--map-root-user",
                        "--mount",
                        "bash",
                        "-c",
                        "mount -t binfmt_misc binfmt_misc '" + dir + "' || exit 9\n"
                                + java + "; echo \"rc=$?\"\n"
                                + java + " --setup-qemu; echo \"rc=$?\"\n"
                                + "cat '" + dir + "/qemu-aarch64' '" + dir + "/qemu-arm'\n"
                                + java + " --setup-qemu; echo \"rc=$?\""),
                env(lab, "t7"),
                BUILD);
        assertEquals(0, r.exit(), r::toString);
        List<String> rcs = r.stdout().lines().filter(l -> l.startsWith("rc=")).toList();
        assertEquals(List.of("rc=3", "rc=0", "rc=0"), rcs, r::toString);
        assertTrue(
                r.stdout().contains("interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POF\n"), r.stdout());
        assertTrue(r.stdout().contains("interpreter /usr/libexec/qemu-binfmt/arm-binfmt-P\nflags: POF\n"), r.stdout());
        assertTrue(
                r.stderr()
                        .contains(
                                "binfmt: register qemu-aarch64 for linux/arm64: write the line of /usr/lib/binfmt.d/qemu-aarch64.conf"),
                r.stderr());
        assertTrue(
                r.stderr().contains("qemu-arm (/usr/libexec/qemu-binfmt/arm-binfmt-P, flags POF); nothing to change"),
                r.stderr());
    }

    /** `docker context use` (no DOCKER_HOST): the build, its builder and the image inspection all follow the CLI's context. */
    @Test
    void theDockerContextInUseIsFollowed(Lab lab) throws IOException {
        Path cfg = Files.createDirectories(tmp.resolve("docker-config-context"));
        for (List<String> c : List.of(
                List.of("docker", "context", "create", "labhost", "--docker", "host=" + lab.hostDockerHost()),
                List.of("docker", "context", "use", "labhost"))) {
            ScriptRun.Result r = ScriptRun.exec(c, Map.of("DOCKER_CONFIG", cfg.toString()), Duration.ofSeconds(30));
            assertEquals(0, r.exit(), r::toString);
        }
        Map<String, String> env = env(lab, "t8");
        env.remove("DOCKER_HOST");
        env.put("DOCKER_CONFIG", cfg.toString());
        ScriptRun.Result r = build("build_amd", env, "--json");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.stderr().contains("building with \"labhost\" instance using docker driver"), r.stderr());
        JsonNode p = json(r).path("platforms").path(0);
        assertEquals("x86_64", p.path("smoke").path("output").asText());
        assertEquals(
                image(lab, lab.registry() + "/lab/node:t8-amd64").path("Id").asText(),
                p.path("image_id").asText());
    }
}
