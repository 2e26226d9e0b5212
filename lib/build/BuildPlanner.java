package lib.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.config.Settings;
import lib.host.Arch;
import lib.proc.Command;
import lib.proc.ProcessFailedException;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;

/**
 * Checks every input of a build and decides everything before anything runs ({@link BuildPlan}): flags that
 * contradict each other, platforms, durations, the smoke test, context and Dockerfile, tags (flag, then
 * environment, then codex.yaml), OCI labels, registry credentials. Bad input is exit 2, before anything runs.
 */
final class BuildPlanner {
    static final List<String> DRIVERS = List.of("docker", "docker-container");
    static final Duration SHORT = Duration.ofSeconds(30);

    final String script;
    private final List<Arch> allowed;
    final BuildOptions o;
    private final java.util.function.Supplier<Settings> settings;
    final Map<String, String> env;
    final ProcessRunner runner;
    Instant now = Instant.now();
    String hostMachine = System.getProperty("os.arch");

    /**
     * @param settings codex.yaml with environment overrides, loaded only when a value is needed from it (REGISTRY, IMAGE_NAME,
     *                 VERSION and the GitHub variables usually give everything in CI, and reading the file costs start-up time);
     *                 the script loads it first when --config names a file, so that an explicit file is always checked
     */
    BuildPlanner(
            String script,
            List<Arch> allowed,
            BuildOptions options,
            java.util.function.Supplier<Settings> settings,
            Map<String, String> env,
            ProcessRunner runner) {
        this.script = script;
        this.allowed = allowed;
        this.o = options;
        this.settings = settings;
        this.env = env;
        this.runner = runner;
    }

    public BuildPlan plan() {
        if (!DRIVERS.contains(o.driver))
            throw N0d3Exception.usage("--driver: expected docker or docker-container, got '" + o.driver + "'");
        boolean docker = o.driver.equals("docker");
        if (docker && !o.driverOpts.isEmpty())
            throw N0d3Exception.usage("--driver-opt: only for --driver docker-container");
        if (docker) {
            for (String c : o.cacheTo) {
                if (!c.strip().matches("type=inline(,.*)?")) {
                    throw N0d3Exception.usage(
                            "--cache-to: '" + c + "': the docker driver exports only type=inline cache;"
                                    + " use --driver docker-container for registry, local or gha cache");
                }
            }
        }
        if (o.network != null && !Set.of("default", "none", "host").contains(o.network)) {
            throw N0d3Exception.usage("--network: expected default, none or host, got '" + o.network + "'");
        }
        if (o.manifestOnly) {
            if (!o.platforms.isEmpty())
                throw N0d3Exception.usage(
                        "--manifest-only builds nothing: name the platforms with --manifest-platform, not --platform");
            if (o.push)
                throw N0d3Exception.usage(
                        "--manifest-only pushes no image: drop --push (or drop --manifest-only to build and push)");
        } else if (o.manifest && !o.push) {
            throw N0d3Exception.usage(
                    "--manifest needs --push: the manifest list is made from the pushed per-architecture tags"
                            + " (or use --manifest-only when they are already pushed)");
        }
        if (o.qemuOnly && (o.push || o.manifest || o.manifestOnly)) {
            throw N0d3Exception.usage(
                    "--qemu-only builds and pushes nothing: drop --push, --manifest and --manifest-only");
        }
        if (o.noSmoke && o.smokeExpect != null)
            throw N0d3Exception.usage("--no-smoke and --smoke-expect contradict each other");

        List<Arch> archs = o.manifestOnly ? List.of() : Platforms.parse(o.platforms, allowed, "--platform", script);
        List<Arch> manifestArchs =
                Platforms.parse(o.manifestPlatforms, List.of(Arch.values()), "--manifest-platform", script);
        List<String> smokeCmd = o.noSmoke ? null : SmokeTest.split(o.smokeCmd, "--smoke-cmd");
        if (!o.noSmoke) {
            for (Arch a : archs) SmokeTest.expectation(o.smokeExpect, a, "--smoke-expect");
        }

        Path context = o.context;
        Path dockerfile = o.file != null ? o.file : context.resolve("Dockerfile");
        if (!o.manifestOnly && !o.qemuOnly) {
            if (!Files.isDirectory(context)) throw N0d3Exception.usage("--context: " + context + " is not a directory");
            if (!Files.isRegularFile(dockerfile)) {
                throw N0d3Exception.usage(
                        (o.file != null ? "--file: " : "no --file given and ") + dockerfile + " does not exist");
            }
        }
        Map<String, String> buildArgs = OciLabels.keyValues(o.buildArgs, "--build-arg");
        Map<String, String> extraLabels = OciLabels.keyValues(o.labels, "--label");

        Settings.Value<String> revision =
                o.qemuOnly ? new Settings.Value<>(o.revision, "--revision") : revision(context);
        Settings.Value<String> registry = Settings.build(Settings.REGISTRY, o.registry, env, settings);
        Settings.Value<String> image = Settings.build(Settings.IMAGE_NAME, o.image, env, settings);
        Settings.Value<String> version = Settings.build(Settings.IMAGE_VERSION, o.version, env, settings);
        ImageTags tags = ImageTags.of(
                registry.value(),
                image.value(),
                version.value(),
                revision.value(),
                new ImageTags.Sources(registry.from(), image.from(), version.from(), revision.from()));
        String title = tags.name().substring(tags.name().lastIndexOf('/') + 1);
        Map<String, String> labels = OciLabels.of(
                source(), tags.revision(), tags.version(), OciLabels.created(env, now), title, extraLabels);

        Optional<RegistryCredentials> creds =
                RegistryCredentials.resolve(o.registryUsername, o.registryPasswordFile, env);
        Arch host;
        try {
            host = Arch.fromMachine(hostMachine);
        } catch (N0d3Exception e) {
            host = null;
        }
        return new BuildPlan(
                archs,
                tags,
                labels,
                buildArgs,
                context,
                dockerfile,
                o.driver,
                o.builder,
                smokeCmd,
                o.buildTimeout,
                o.smokeTimeout,
                o.push,
                o.manifest || o.manifestOnly,
                o.manifestOnly,
                manifestArchs,
                creds,
                host);
    }

    private boolean present(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** --revision, else GITHUB_SHA, else the context's git HEAD; null (with a warning) when none is known. */
    Settings.Value<String> revision(Path context) {
        return Settings.pick(
                o.revision,
                "--revision",
                env,
                "GITHUB_SHA",
                () -> new Settings.Value<>(gitHead(context), "git rev-parse HEAD"));
    }

    private String gitHead(Path context) {
        if (!ProcessRunner.onPath("git") || !Files.isDirectory(context)) return null;
        try {
            ProcessResult r =
                    runner.runAnyExit(Command.of("git", "-C", context.toString(), "rev-parse", "--verify", "-q", "HEAD")
                            .timeout(SHORT));
            if (r.ok() && !r.stdout().isBlank()) return r.stdout().strip();
        } catch (ProcessFailedException e) {
            Log.debug("git rev-parse: " + e.getMessage());
        }
        Log.warn("no git revision for " + context
                + " (not a git checkout; no --revision or GITHUB_SHA): no sha-<short> tags and no revision label");
        return null;
    }

    /** --source, else the GitHub repository URL from the Actions environment, else codex.yaml metadata.repository. */
    String source() {
        if (o.source != null) return o.source;
        if (present("GITHUB_SERVER_URL") && present("GITHUB_REPOSITORY")) {
            return env.get("GITHUB_SERVER_URL").strip().replaceAll("/+$", "") + "/"
                    + env.get("GITHUB_REPOSITORY").strip();
        }
        return settings.get().codex().metadata().repository();
    }
}
