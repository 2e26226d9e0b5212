package lib.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.cli.PositiveDuration;
import picocli.CommandLine.Option;

/** The options build_amd.java and build_arm.java share (a picocli mixin). */
public class BuildOptions {
    @Option(
            names = "--platform",
            paramLabel = "PLATFORM[,PLATFORM]",
            description = "Platforms to build (repeatable, comma list). Default: all this script builds.")
    public List<String> platforms = new ArrayList<>();

    @Option(names = "--context", paramLabel = "DIR", description = "Build context (default: ${DEFAULT-VALUE}).")
    public Path context = Path.of(".");

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Dockerfile (default: Dockerfile in the context, the project's own node image).")
    public Path file;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "Build argument (repeatable).")
    public List<String> buildArgs = new ArrayList<>();

    @Option(
            names = "--label",
            paramLabel = "KEY=VALUE",
            description = "Extra image label (repeatable); the OCI labels are always set.")
    public List<String> labels = new ArrayList<>();

    @Option(
            names = "--registry",
            paramLabel = "HOST[:PORT]",
            description = "Registry (default: REGISTRY, else codex.yaml build.registry).")
    public String registry;

    @Option(
            names = "--image",
            paramLabel = "NAME",
            description = "Image name (default: IMAGE_NAME, else codex.yaml build.image_name).")
    public String image;

    @Option(
            names = "--image-version",
            paramLabel = "VERSION",
            description = "Image version tag (default: VERSION, else codex.yaml build.version, else metadata.version).")
    public String version;

    @Option(
            names = "--revision",
            paramLabel = "SHA",
            description =
                    "Git commit of the sources (default: GITHUB_SHA, else git rev-parse HEAD in the context): label and sha-<short> tags.")
    public String revision;

    @Option(
            names = "--source",
            paramLabel = "URL",
            description =
                    "Source repository URL label (default: GITHUB_SERVER_URL/GITHUB_REPOSITORY, else codex.yaml metadata.repository).")
    public String source;

    @Option(
            names = "--builder",
            paramLabel = "NAME",
            description =
                    "buildx builder (default: the current docker context's for --driver docker, n0d3 for docker-container).")
    public String builder;

    @Option(
            names = "--driver",
            paramLabel = "DRIVER",
            description = "Builder driver: docker (default) or docker-container (created when missing).")
    public String driver = "docker";

    @Option(
            names = "--driver-opt",
            paramLabel = "OPT",
            description =
                    "Option for creating a docker-container builder (repeatable), e.g. image=REGISTRY/moby/buildkit:TAG.")
    public List<String> driverOpts = new ArrayList<>();

    @Option(
            names = "--cache-from",
            paramLabel = "SPEC",
            description = "buildx --cache-from (repeatable), e.g. type=registry,ref=R/I:buildcache-amd64.")
    public List<String> cacheFrom = new ArrayList<>();

    @Option(
            names = "--cache-to",
            paramLabel = "SPEC",
            description =
                    "buildx --cache-to (repeatable). The docker driver exports only type=inline; others need --driver docker-container.")
    public List<String> cacheTo = new ArrayList<>();

    @Option(names = "--network", paramLabel = "MODE", description = "Network for RUN steps: default, none or host.")
    public String network;

    @Option(names = "--pull", description = "Always look for a newer base image.")
    public boolean pull;

    @Option(
            names = "--smoke-cmd",
            paramLabel = "COMMAND",
            description =
                    "Smoke test: arguments given to the image (split like a shell, nothing expanded; default: '${DEFAULT-VALUE}', the node image's version command).")
    public String smokeCmd = "--version";

    @Option(
            names = "--smoke-expect",
            paramLabel = "REGEX",
            description =
                    "Smoke test output must match this (multi-line); {machine} stands for what uname -m prints on the platform (x86_64, aarch64, armv7l).")
    public String smokeExpect;

    @Option(names = "--no-smoke", description = "Skip the smoke test (not recommended).")
    public boolean noSmoke;

    @Option(
            names = "--smoke-timeout",
            paramLabel = "DURATION",
            converter = PositiveDuration.class,
            defaultValue = "5m",
            description = "Bound on one smoke test (default: ${DEFAULT-VALUE}).")
    public Duration smokeTimeout;

    @Option(
            names = "--build-timeout",
            paramLabel = "DURATION",
            converter = PositiveDuration.class,
            defaultValue = "60m",
            description = "Bound on one platform's build (default: ${DEFAULT-VALUE}).")
    public Duration buildTimeout;

    @Option(names = "--push", description = "Push the per-architecture tags (after a passing smoke test).")
    public boolean push;

    @Option(
            names = "--manifest",
            description =
                    "After pushing, create or update the multi-arch manifest list R/I:VERSION (and sha-<short>) and verify it.")
    public boolean manifest;

    @Option(
            names = "--manifest-only",
            description =
                    "Build nothing: create and verify the manifest list from per-architecture tags already pushed.")
    public boolean manifestOnly;

    @Option(
            names = "--manifest-platform",
            paramLabel = "PLATFORM[,PLATFORM]",
            description =
                    "Platforms the manifest list must hold (repeatable, comma list; default: linux/amd64, linux/arm64, linux/arm/v7).")
    public List<String> manifestPlatforms = new ArrayList<>();

    @Option(
            names = "--registry-username",
            paramLabel = "USER",
            description = "Registry user (default: REGISTRY_USERNAME).")
    public String registryUsername;

    @Option(
            names = "--registry-password-file",
            paramLabel = "FILE",
            description =
                    "File holding the registry password (default: REGISTRY_PASSWORD_FILE, else REGISTRY_PASSWORD). Sent to docker login on stdin.")
    public Path registryPasswordFile;

    @Option(
            names = "--setup-qemu",
            description =
                    "Register QEMU's binfmt_misc handlers for foreign platforms when missing (root; qemu-user-static).")
    public boolean setupQemu;

    @Option(
            names = "--qemu-only",
            description =
                    "Only check (with --setup-qemu: register) QEMU for the platforms, then stop: a CI step of its own.")
    public boolean qemuOnly;

    @Option(
            names = "--binfmt-dir",
            paramLabel = "DIR",
            description = "Where binfmt_misc is mounted (default: ${DEFAULT-VALUE}).")
    public Path binfmtDir = Binfmt.DEFAULT_DIR;
}
