package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.config.Settings;
import lib.host.Arch;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Everything decided before anything runs: validation (exit 2) and the exact command lines of --dry-run. */
class ImageBuildPlanTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path tmp;

    Path ctx;
    Path binfmtDir;
    Map<String, String> env;
    BuildOptions o;

    @BeforeEach
    void setUp() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\n");
        binfmtDir = Files.createDirectories(tmp.resolve("binfmt_misc"));
        Files.writeString(binfmtDir.resolve("register"), "");
        Files.writeString(binfmtDir.resolve("status"), "enabled\n");
        Files.writeString(binfmtDir.resolve("qemu-aarch64"), BinfmtTest.AARCH64);
        Files.writeString(binfmtDir.resolve("qemu-arm"), BinfmtTest.ARM);
        env = new HashMap<>(Map.of(
                "DOCKER_HOST",
                "unix:///nonexistent.sock",
                "REGISTRY",
                "127.0.0.1:5000",
                "IMAGE_NAME",
                "lab/node",
                "VERSION",
                "1.2.3",
                "GITHUB_SHA",
                SHA));
        o = CommandLine.populateCommand(new BuildOptions()); // with the defaults picocli gives
        o.context = ctx;
        o.binfmtDir = binfmtDir;
    }

    ImageBuild build(List<Arch> allowed) {
        return new ImageBuild(new BuildPlanner(
                        "build_arm.java",
                        allowed,
                        o,
                        () -> Settings.fromText("codex.yaml", "", env),
                        env,
                        new ProcessRunner()))
                .at(NOW, "x86_64");
    }

    BuildPlan plan() {
        return build(List.of(Arch.ARM64, Arch.ARMV7)).plan();
    }

    N0d3Exception usage() {
        N0d3Exception e = assertThrows(N0d3Exception.class, this::plan);
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void defaultsComeFromTheEnvironmentAndTheRevisionFromGithubSha() {
        BuildPlan p = plan();
        assertEquals(List.of(Arch.ARM64, Arch.ARMV7), p.archs());
        assertEquals("127.0.0.1:5000/lab/node", p.tags().repository());
        assertEquals(
                List.of("127.0.0.1:5000/lab/node:1.2.3-arm64", "127.0.0.1:5000/lab/node:sha-0123456-arm64"),
                p.tags().archTags(Arch.ARM64));
        assertEquals(SHA, p.labels().get("org.opencontainers.image.revision"));
        assertEquals("2026-01-02T03:04:05Z", p.labels().get("org.opencontainers.image.created"));
        assertEquals("node", p.labels().get("org.opencontainers.image.title"));
        assertEquals("https://github.com/PR-CYBR/PR-CYBR-N0D3", p.labels().get("org.opencontainers.image.source"));
        assertEquals(List.of("--version"), p.smokeCmd());
        assertTrue(p.emulated(Arch.ARM64));
        assertEquals(List.of(Arch.AMD64, Arch.ARM64, Arch.ARMV7), p.manifestArchs());
    }

    @Test
    void flagsWinOverTheEnvironmentAndGithubGivesTheSourceUrl() {
        o.registry = "ghcr.io";
        o.image = "PR-CYBR/PR-CYBR-N0D3";
        o.version = "v9";
        env.put("GITHUB_SERVER_URL", "https://github.com/");
        env.put("GITHUB_REPOSITORY", "PR-CYBR/PR-CYBR-N0D3");
        BuildPlan p = plan();
        assertEquals("ghcr.io/pr-cybr/pr-cybr-n0d3:v9-armv7", p.tags().archRef(Arch.ARMV7));
        assertEquals("https://github.com/PR-CYBR/PR-CYBR-N0D3", p.labels().get("org.opencontainers.image.source"));
    }

    @Test
    void aBadVersionNamesTheVariableItCameFrom() {
        env.put("VERSION", "1.0 beta");
        assertTrue(usage().getMessage().startsWith("VERSION: '1.0 beta' is not usable as a tag"));
        o.version = "1.0 beta";
        assertTrue(usage().getMessage().startsWith("--image-version: '1.0 beta'"));
    }

    @Test
    void contradictoryOrIncompleteFlagsAreUsageErrors() {
        o.manifest = true;
        assertTrue(usage().getMessage().startsWith("--manifest needs --push"));
        o.manifest = false;
        o.manifestOnly = true;
        o.platforms = List.of("linux/arm64");
        assertTrue(usage().getMessage().startsWith("--manifest-only builds nothing"));
        o.platforms = List.of();
        o.push = true;
        assertTrue(usage().getMessage().startsWith("--manifest-only pushes no image"));
        o.push = false;
        o.manifestOnly = false;
        o.cacheTo = List.of("type=registry,ref=r/i:cache");
        assertTrue(usage().getMessage()
                .startsWith("--cache-to: 'type=registry,ref=r/i:cache': the docker driver exports only type=inline"));
        o.driver = "docker-container";
        plan();
        o.driver = "kubernetes";
        assertEquals("--driver: expected docker or docker-container, got 'kubernetes'", usage().getMessage());
        o.driver = "docker";
        o.cacheTo = List.of();
        o.driverOpts = List.of("network=host");
        assertEquals("--driver-opt: only for --driver docker-container", usage().getMessage());
        o.driverOpts = List.of();
        o.network = "bridge";
        assertTrue(usage().getMessage().startsWith("--network: expected default, none or host"));
        o.network = null;
        o.noSmoke = true;
        o.smokeExpect = "x";
        assertEquals("--no-smoke and --smoke-expect contradict each other", usage().getMessage());
    }

    @Test
    void missingContextOrDockerfileIsAUsageError() throws IOException {
        o.file = ctx.resolve("Nope.Dockerfile");
        assertEquals("--file: " + ctx.resolve("Nope.Dockerfile") + " does not exist", usage().getMessage());
        o.file = null;
        Files.delete(ctx.resolve("Dockerfile"));
        assertEquals("no --file given and " + ctx.resolve("Dockerfile") + " does not exist", usage().getMessage());
        o.context = tmp.resolve("nope");
        assertEquals("--context: " + tmp.resolve("nope") + " is not a directory", usage().getMessage());
    }

    @Test
    void dryRunListsTheExactCommandsInOrderWithoutThePassword() throws IOException {
        Path pw = Files.writeString(tmp.resolve("pw"), "dry-run-registry-password");
        Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        env.put("REGISTRY_USERNAME", "ci");
        env.put("REGISTRY_PASSWORD_FILE", pw.toString());
        o.push = true;
        o.manifest = true;
        o.smokeCmd = "uname -m";
        o.smokeExpect = "^{machine}$";
        o.platforms = List.of("linux/arm64");
        ImageBuild b = build(List.of(Arch.ARM64, Arch.ARMV7));
        List<String> lines = b.describe(b.plan());
        String all = String.join("\n", lines);
        assertFalse(all.contains("dry-run-registry-password"));
        assertEquals(
                "qemu     linux/arm64: emulated by qemu-aarch64 (/usr/libexec/qemu-binfmt/aarch64-binfmt-P, flags POF)",
                lines.get(0));
        assertEquals(
                "builder  default   (docker driver: the daemon itself builds; nothing to check or create)",
                lines.get(1));
        assertEquals(
                "login    docker login --username ci --password-stdin 127.0.0.1:5000   (password from file " + pw
                        + " on standard input)",
                lines.get(2));
        assertTrue(
                lines.get(3)
                        .startsWith("build    docker buildx build --builder default --platform linux/arm64 --file "
                                + ctx.resolve("Dockerfile")),
                lines.get(3));
        assertTrue(lines.get(3).contains("--label org.opencontainers.image.revision=" + SHA));
        assertTrue(
                lines.get(3)
                        .endsWith(
                                "--tag 127.0.0.1:5000/lab/node:1.2.3-arm64 --tag 127.0.0.1:5000/lab/node:sha-0123456-arm64 --load "
                                        + ctx),
                lines.get(3));
        assertEquals(
                "smoke    docker create --pull=never --platform linux/arm64 127.0.0.1:5000/lab/node:1.2.3-arm64 uname -m;"
                        + " docker start --attach CONTAINER; docker rm --force CONTAINER"
                        + "   (exit 0, output matching ^aarch64$, under QEMU)",
                lines.get(4));
        assertEquals("push     docker push 127.0.0.1:5000/lab/node:1.2.3-arm64", lines.get(5));
        assertEquals("push     docker push 127.0.0.1:5000/lab/node:sha-0123456-arm64", lines.get(6));
        assertEquals(
                "manifest docker buildx imagetools create --tag 127.0.0.1:5000/lab/node:1.2.3 --tag 127.0.0.1:5000/lab/node:sha-0123456"
                        + " 127.0.0.1:5000/lab/node:1.2.3-amd64 127.0.0.1:5000/lab/node:1.2.3-arm64 127.0.0.1:5000/lab/node:1.2.3-armv7",
                lines.get(7));
        assertTrue(
                lines.get(8)
                        .startsWith(
                                "verify   docker buildx imagetools inspect --raw 127.0.0.1:5000/lab/node:1.2.3   (exactly linux/amd64, linux/arm64, linux/arm/v7"));
        assertEquals(10, lines.size());
    }

    @Test
    void dryRunWithoutQemuFailsLikeTheRealRunNamingSetupQemu() throws IOException {
        Files.delete(binfmtDir.resolve("qemu-arm"));
        ImageBuild b = build(List.of(Arch.ARM64, Arch.ARMV7));
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> b.describe(b.plan()));
        assertEquals(ExitCode.UNEXPECTED_STATE, e.exitCode());
        assertTrue(e.getMessage().contains("linux/arm/v7") && e.getMessage().contains("--setup-qemu"), e.getMessage());
    }

    @Test
    void dryRunWithSetupQemuShowsTheRegistration() throws IOException {
        Files.delete(binfmtDir.resolve("qemu-arm"));
        o.setupQemu = true;
        ImageBuild b = build(List.of(Arch.ARM64, Arch.ARMV7));
        List<String> lines = b.describe(b.plan());
        // the real qemu-user-static files of this machine, when installed; otherwise the plan itself says what is
        // missing
        if (Files.exists(Path.of("/usr/lib/binfmt.d/qemu-arm.conf"))) {
            assertEquals(
                    "qemu     register qemu-arm for linux/arm/v7: write the line of /usr/lib/binfmt.d/qemu-arm.conf to "
                            + binfmtDir.resolve("register"),
                    lines.get(1));
        }
    }

    @Test
    void nativePlatformsNeedNoQemu() {
        ImageBuild b = new ImageBuild(new BuildPlanner(
                        "build_amd.java",
                        List.of(Arch.AMD64),
                        o,
                        () -> Settings.fromText("codex.yaml", "", env),
                        env,
                        new ProcessRunner()))
                .at(NOW, "x86_64");
        o.binfmtDir = tmp.resolve("not-mounted");
        BuildPlan p = b.plan();
        assertFalse(p.emulated(Arch.AMD64));
        assertEquals(
                "native   linux/amd64 runs natively on this linux/amd64 host",
                b.describe(p).get(0));
    }

    @Test
    void onAnArm64HostArm64IsNativeAndAmd64IsEmulated() {
        BuildPlan p = build(List.of(Arch.ARM64, Arch.ARMV7)).at(NOW, "aarch64").plan();
        assertFalse(p.emulated(Arch.ARM64));
        assertFalse(p.emulated(Arch.ARMV7));
        assertTrue(p.emulated(Arch.AMD64));
    }

    @Test
    void aFailedBuildIsSummedUpByBuildxsOwnErrorLine() {
        String out =
                "#5 [2/2] RUN false\n#5 ERROR: process \"/bin/sh -c false\" did not complete successfully: exit code: 1\n------\n"
                        + " > [2/2] RUN false:\n------\nERROR: failed to solve: process \"/bin/sh -c false\" did not complete successfully: exit code: 1\n";
        assertEquals(
                "ERROR: failed to solve: process \"/bin/sh -c false\" did not complete successfully: exit code: 1",
                Buildx.buildxError(out));
        assertEquals("last words", Buildx.buildxError("first\nlast words\n\n"));
    }

    @Test
    void qemuOnlyNeedsNoDockerfileAndRefusesToPush() throws IOException {
        o.qemuOnly = true;
        Files.delete(ctx.resolve("Dockerfile"));
        ImageBuild b = build(List.of(Arch.ARM64, Arch.ARMV7));
        assertEquals(2, b.describe(b.plan()).size(), "only the two qemu lines");
        o.push = true;
        assertTrue(usage().getMessage().startsWith("--qemu-only builds and pushes nothing"));
    }

    @Test
    void aNamedOrContainerBuilderIsInspectedAndCreatedWhenMissing() {
        o.platforms = List.of("linux/arm64");
        o.driver = "docker-container";
        ImageBuild b = build(List.of(Arch.ARM64, Arch.ARMV7));
        assertEquals(
                "builder  docker buildx inspect --bootstrap n0d3   (if missing: docker buildx create --name n0d3 --driver docker-container --bootstrap)",
                b.describe(b.plan()).get(1));
        o.driver = "docker";
        o.builder = "ci";
        assertEquals(
                "builder  docker buildx inspect --bootstrap ci",
                b.describe(b.plan()).get(1));
    }

    @Test
    void theCurrentDockerContextIsReadFromDockersConfigLikeDockerContextShow() throws IOException {
        Path cfg = Files.createDirectories(tmp.resolve("docker-config"));
        assertEquals("default", Buildx.currentContext(Map.of("DOCKER_CONFIG", cfg.toString())));
        Files.writeString(cfg.resolve("config.json"), "{\"auths\":{},\"currentContext\":\"rpi-fleet\"}");
        assertEquals("rpi-fleet", Buildx.currentContext(Map.of("DOCKER_CONFIG", cfg.toString())));
        env.remove("DOCKER_HOST");
        env.put("DOCKER_CONFIG", cfg.toString());
        o.platforms = List.of("linux/arm64");
        ImageBuild b = build(List.of(Arch.ARM64, Arch.ARMV7));
        assertTrue(b.describe(b.plan()).get(2).contains("--builder rpi-fleet "));
        env.put("DOCKER_CONTEXT", "other");
        assertTrue(b.describe(b.plan()).get(2).contains("--builder other "));
    }

    @Test
    void aMissingBuildxPluginIsExit3WithTheInstallHint() {
        for (String said : List.of(
                "docker: 'buildx' is not a docker command.\nSee 'docker --help'",
                "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information")) {
            var e = assertThrows(
                    N0d3Exception.class,
                    () -> Buildx.requireBuildx(
                            new lib.proc.ProcessFailedException("x", new lib.proc.ProcessResult(1, "", said), false)));
            assertEquals(ExitCode.UNEXPECTED_STATE, e.exitCode());
            assertTrue(
                    e.getMessage().startsWith("docker buildx is not available: install the buildx plugin"),
                    e.getMessage());
        }
        Buildx.requireBuildx(new lib.proc.ProcessFailedException(
                "x", new lib.proc.ProcessResult(1, "", "ERROR: failed to solve"), false));
    }
}
