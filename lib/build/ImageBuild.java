package lib.build;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.config.Settings;
import lib.config.Units;
import lib.docker.DockerClient;
import lib.host.Arch;
import lib.proc.Command;
import lib.proc.ProcessFailedException;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;

/**
 * The one implementation behind build_amd.java and build_arm.java. {@link #plan()} checks every input and
 * fixes every command line (exit 2 on bad input, before anything runs); {@link #execute} then runs, in order:
 * QEMU check (and --setup-qemu), builder check or creation, registry login, one build and smoke test per
 * platform, push, manifest list and its verification against the registry, GitHub outputs. Nothing is pushed
 * unless every platform's smoke test passed.
 */
public final class ImageBuild {
    public static final List<String> DRIVERS = List.of("docker", "docker-container");
    public static final String CONTAINER_BUILDER = "n0d3";
    static final Duration SHORT = Duration.ofSeconds(30);
    static final Duration REGISTRY_TIMEOUT = Duration.ofMinutes(5);
    static final Duration PUSH_TIMEOUT = Duration.ofMinutes(30);

    /** Everything decided before anything runs. */
    public record Plan(
            List<Arch> archs,
            ImageTags tags,
            Map<String, String> labels,
            Map<String, String> buildArgs,
            Path context,
            Path dockerfile,
            String driver,
            String builder,
            List<String> smokeCmd,
            Duration buildTimeout,
            Duration smokeTimeout,
            boolean push,
            boolean manifest,
            boolean manifestOnly,
            List<Arch> manifestArchs,
            Optional<RegistryCredentials> credentials,
            Arch host) {

        /** True when this platform's binaries need QEMU on this host. */
        public boolean emulated(Arch a) {
            return host == null || (a != host && !(host == Arch.ARM64 && a == Arch.ARMV7));
        }
    }

    private final String script;
    private final List<Arch> allowed;
    private final BuildOptions o;
    private final java.util.function.Supplier<Settings> settings;
    private final Map<String, String> env;
    private final DockerCli cli;
    private final DockerClient engine;
    private final ProcessRunner runner;
    private Instant now = Instant.now();
    private String hostMachine = System.getProperty("os.arch");

    /**
     * @param settings codex.yaml with environment overrides, loaded only when a value is needed from it (REGISTRY, IMAGE_NAME,
     *                 VERSION and the GitHub variables usually give everything in CI, and reading the file costs start-up time);
     *                 the script loads it first when --config names a file, so that an explicit file is always checked
     */
    public ImageBuild(String script, List<Arch> allowed, BuildOptions options, java.util.function.Supplier<Settings> settings,
                      Map<String, String> env, ProcessRunner runner) {
        this.script = script;
        this.allowed = allowed;
        this.o = options;
        this.settings = settings;
        this.env = env;
        this.runner = runner;
        this.cli = new DockerCli(runner, env, "docker");
        this.engine = DockerClient.fromEnv(env).timeout(SHORT);
    }

    /** For tests: a fixed clock and host architecture. */
    ImageBuild at(Instant fixedNow, String machine) {
        this.now = fixedNow;
        this.hostMachine = machine;
        return this;
    }

    public DockerCli cli() {
        return cli;
    }

    // ---- plan ------------------------------------------------------------------------------------------

    public Plan plan() {
        if (!DRIVERS.contains(o.driver)) throw N0d3Exception.usage("--driver: expected docker or docker-container, got '" + o.driver + "'");
        boolean docker = o.driver.equals("docker");
        if (docker && !o.driverOpts.isEmpty()) throw N0d3Exception.usage("--driver-opt: only for --driver docker-container");
        if (docker) {
            for (String c : o.cacheTo) {
                if (!c.strip().matches("type=inline(,.*)?")) {
                    throw N0d3Exception.usage("--cache-to: '" + c + "': the docker driver exports only type=inline cache;"
                            + " use --driver docker-container for registry, local or gha cache");
                }
            }
        }
        if (o.network != null && !Set.of("default", "none", "host").contains(o.network)) {
            throw N0d3Exception.usage("--network: expected default, none or host, got '" + o.network + "'");
        }
        if (o.manifestOnly) {
            if (!o.platforms.isEmpty()) throw N0d3Exception.usage("--manifest-only builds nothing: name the platforms with --manifest-platform, not --platform");
            if (o.push) throw N0d3Exception.usage("--manifest-only pushes no image: drop --push (or drop --manifest-only to build and push)");
        } else if (o.manifest && !o.push) {
            throw N0d3Exception.usage("--manifest needs --push: the manifest list is made from the pushed per-architecture tags"
                    + " (or use --manifest-only when they are already pushed)");
        }
        if (o.qemuOnly && (o.push || o.manifest || o.manifestOnly)) {
            throw N0d3Exception.usage("--qemu-only builds and pushes nothing: drop --push, --manifest and --manifest-only");
        }
        if (o.noSmoke && o.smokeExpect != null) throw N0d3Exception.usage("--no-smoke and --smoke-expect contradict each other");

        List<Arch> archs = o.manifestOnly ? List.of() : Platforms.parse(o.platforms, allowed, "--platform", script);
        List<Arch> manifestArchs = Platforms.parse(o.manifestPlatforms, List.of(Arch.values()), "--manifest-platform", script);
        List<String> smokeCmd = o.noSmoke ? null : SmokeTest.split(o.smokeCmd, "--smoke-cmd");
        if (!o.noSmoke) {
            for (Arch a : archs) SmokeTest.expectation(o.smokeExpect, a, "--smoke-expect");
        }

        Path context = o.context;
        Path dockerfile = o.file != null ? o.file : context.resolve("Dockerfile");
        if (!o.manifestOnly && !o.qemuOnly) {
            if (!Files.isDirectory(context)) throw N0d3Exception.usage("--context: " + context + " is not a directory");
            if (!Files.isRegularFile(dockerfile)) {
                throw N0d3Exception.usage((o.file != null ? "--file: " : "no --file given and ") + dockerfile + " does not exist");
            }
        }
        Map<String, String> buildArgs = OciLabels.keyValues(o.buildArgs, "--build-arg");
        Map<String, String> extraLabels = OciLabels.keyValues(o.labels, "--label");

        Settings.Value<String> revision = o.qemuOnly ? new Settings.Value<>(o.revision, "--revision") : revision(context);
        Settings.Value<String> registry = Settings.registry(o.registry, env, settings);
        Settings.Value<String> image = Settings.imageName(o.image, env, settings);
        Settings.Value<String> version = Settings.imageVersion(o.version, env, settings);
        ImageTags tags = ImageTags.of(registry.value(), image.value(), version.value(), revision.value(),
                new ImageTags.Sources(registry.from(), image.from(), version.from(), revision.from()));
        String title = tags.name().substring(tags.name().lastIndexOf('/') + 1);
        Map<String, String> labels = OciLabels.of(source(), tags.revision(), tags.version(), OciLabels.created(env, now), title, extraLabels);

        Optional<RegistryCredentials> creds = RegistryCredentials.resolve(o.registryUsername, o.registryPasswordFile, env);
        Arch host;
        try {
            host = Arch.fromMachine(hostMachine);
        } catch (N0d3Exception e) {
            host = null;
        }
        return new Plan(archs, tags, labels, buildArgs, context, dockerfile, o.driver, o.builder, smokeCmd, o.buildTimeout, o.smokeTimeout,
                o.push, o.manifest || o.manifestOnly, o.manifestOnly, manifestArchs, creds, host);
    }

    private boolean present(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** --revision, else GITHUB_SHA, else the context's git HEAD; null (with a warning) when none is known. */
    Settings.Value<String> revision(Path context) {
        return Settings.pick(o.revision, "--revision", env, "GITHUB_SHA", () -> new Settings.Value<>(gitHead(context), "git rev-parse HEAD"));
    }

    private String gitHead(Path context) {
        if (!ProcessRunner.onPath("git") || !Files.isDirectory(context)) return null;
        try {
            ProcessResult r = runner.runAnyExit(Command.of("git", "-C", context.toString(), "rev-parse", "--verify", "-q", "HEAD").timeout(SHORT));
            if (r.ok() && !r.stdout().isBlank()) return r.stdout().strip();
        } catch (ProcessFailedException e) {
            Log.debug("git rev-parse: " + e.getMessage());
        }
        Log.warn("no git revision for " + context + " (not a git checkout; no --revision or GITHUB_SHA): no sha-<short> tags and no revision label");
        return null;
    }

    /** --source, else the GitHub repository URL from the Actions environment, else codex.yaml metadata.repository. */
    String source() {
        if (o.source != null) return o.source;
        if (present("GITHUB_SERVER_URL") && present("GITHUB_REPOSITORY")) {
            return env.get("GITHUB_SERVER_URL").strip().replaceAll("/+$", "") + "/" + env.get("GITHUB_REPOSITORY").strip();
        }
        return settings.get().codex().metadata().repository();
    }

    /** The buildx build of one platform with a given builder. */
    public BuildSpec spec(Plan p, Arch a, String builder) {
        return new BuildSpec(builder, a, p.context(), p.dockerfile(), p.buildArgs(), p.labels(), p.tags().archTags(a),
                o.cacheFrom, o.cacheTo, o.network, o.pull);
    }

    // ---- dry run ----------------------------------------------------------------------------------------

    /** The exact steps, one per line, as --dry-run prints them. Reads binfmt state; changes nothing. */
    public List<String> describe(Plan p) {
        List<String> lines = new ArrayList<>();
        Binfmt binfmt = new Binfmt(o.binfmtDir);
        for (Arch a : p.archs()) {
            if (!p.emulated(a)) {
                lines.add("native   " + a.platform() + " runs natively on this " + p.host().platform() + " host");
                continue;
            }
            Binfmt.Check c = binfmt.check(a);
            if (c.ok()) {
                lines.add("qemu     " + binfmt.problem(c));
            } else if (o.setupQemu) {
                for (BinfmtSetup.Step s : new BinfmtSetup(binfmt, BinfmtSetup.CONF_DIRS, runner).plan(List.of(a))) lines.add("qemu     " + s.describe());
            } else {
                throw N0d3Exception.unexpectedState(binfmt.problem(c));
            }
        }
        if (o.qemuOnly) return lines;
        String builder = builderName(p);
        if (!p.manifestOnly()) {
            lines.add("builder  " + (inspectsBuilder(p) ? display(cli.inspectBuilder(builder)) + (p.driver().equals("docker-container")
                    ? "   (if missing: " + display(cli.createBuilder(builder, p.driver(), o.driverOpts)) + ")" : "")
                    : builder + "   (docker driver: the daemon itself builds; nothing to check or create)"));
        }
        p.credentials().ifPresent(c -> lines.add("login    " + display(cli.login(p.tags().registry(), c.username()))
                + "   (password from " + c.password().source() + " on standard input)"));
        for (Arch a : p.archs()) {
            lines.add("build    " + display(cli.build(spec(p, a, builder))));
            if (p.smokeCmd() != null) {
                Pattern e = SmokeTest.expectation(o.smokeExpect, a, "--smoke-expect");
                lines.add("smoke    " + display(cli.smokeCreate(p.tags().archRef(a), a, p.smokeCmd())) + "; "
                        + display(cli.startAttached("CONTAINER")) + "; " + display(cli.removeContainer("CONTAINER")) + "   (exit 0"
                        + (e == null ? "" : ", output matching " + e.pattern()) + (p.emulated(a) ? ", under QEMU" : "") + ")");
            }
        }
        if (p.push()) {
            for (Arch a : p.archs()) for (String t : p.tags().archTags(a)) lines.add("push     " + display(cli.push(t)));
        }
        if (p.manifest()) {
            List<String> sources = p.manifestArchs().stream().map(a -> p.tags().archRef(a)).toList();
            lines.add("manifest " + display(cli.imagetoolsCreate(p.tags().manifestTags(), sources)));
            for (String t : p.tags().manifestTags()) {
                lines.add("verify   " + display(cli.imagetoolsRaw(t)) + "   (exactly " + String.join(", ", p.manifestArchs().stream().map(Arch::platform).toList())
                        + ", each with the digest of its per-architecture tag)");
            }
        }
        if (present("GITHUB_OUTPUT")) lines.add("outputs  append to " + env.get("GITHUB_OUTPUT"));
        if (present("GITHUB_STEP_SUMMARY")) lines.add("summary  append to " + env.get("GITHUB_STEP_SUMMARY"));
        return lines;
    }

    private static String display(List<String> argv) {
        return Command.of(argv).display();
    }

    // ---- execute ----------------------------------------------------------------------------------------

    public BuildReport execute(Plan p) {
        BuildReport report = new BuildReport(script, p.tags());
        ensureEmulation(p);
        String builder = p.manifestOnly() ? null : inspectsBuilder(p) ? ensureBuilder(p) : builderName(p);
        p.credentials().ifPresent(c -> login(p, c));

        for (Arch a : p.archs()) {
            BuildReport.PlatformResult r = new BuildReport.PlatformResult(a, p.tags().archTags(a), p.emulated(a));
            report.platforms.add(r);
            Log.info("build " + a.platform() + (p.emulated(a) ? " (under QEMU)" : "") + " -> " + String.join(", ", r.tags));
            long t0 = System.nanoTime();
            build(p, a, builder);
            r.buildMillis = (System.nanoTime() - t0) / 1_000_000;
            r.imageId = inspectImage(p.tags().archRef(a)).path("Id").asText(null);
            Log.ok("built " + p.tags().archRef(a) + " (" + BuildReport.shortId(r.imageId) + ") in " + r.buildMillis + " ms");
            if (p.smokeCmd() != null) {
                r.smoke = new SmokeTest(cli, this::inspectImage).run(p.tags().archRef(a), a, p.smokeCmd(),
                        SmokeTest.expectation(o.smokeExpect, a, "--smoke-expect"), p.smokeTimeout(), p.emulated(a),
                        w -> Log.warn("docker, creating the smoke test container of " + a.platform() + ": " + w));
                Log.ok("smoke test " + a.platform() + (p.emulated(a) ? " under QEMU" : "") + ": '" + r.smoke.command() + "' -> "
                        + BuildReport.firstLine(r.smoke.output()));
            } else {
                Log.warn("smoke test of " + a.platform() + " skipped (--no-smoke)");
            }
        }

        if (p.push()) {
            for (BuildReport.PlatformResult r : report.platforms) r.digest = push(r.tags);
            report.pushed = true;
        }
        if (p.manifest()) manifest(p, report);

        if (GithubOutputs.writeOutputs(env, report.outputs())) Log.info("step outputs appended to GITHUB_OUTPUT");
        if (GithubOutputs.writeSummary(env, report.summary())) Log.info("job summary appended to GITHUB_STEP_SUMMARY");
        return report;
    }

    /** Foreign platforms need a binfmt handler: checked, registered with --setup-qemu, else exit 3 naming it. */
    void ensureEmulation(Plan p) {
        Binfmt binfmt = new Binfmt(o.binfmtDir);
        List<Arch> foreign = new ArrayList<>();
        for (Arch a : p.archs()) {
            boolean aarch32 = !p.emulated(a) && a != p.host();
            if (aarch32 && !o.setupQemu) {
                Log.info(a.platform() + ": assuming this " + p.host().platform() + " CPU runs it natively (AArch32); if its smoke test"
                        + " fails with 'exec format error', run again with --setup-qemu");
            }
            if (!p.emulated(a) && !(aarch32 && o.setupQemu)) continue;
            foreign.add(a);
            Binfmt.Check c = binfmt.check(a);
            if (c.ok()) Log.debug(binfmt.problem(c));
            else if (!o.setupQemu) throw N0d3Exception.unexpectedState(binfmt.problem(c));
        }
        if (o.setupQemu) {
            if (foreign.isEmpty()) Log.ok("--setup-qemu: every platform asked for runs natively here; nothing to register");
            else new BinfmtSetup(binfmt, BinfmtSetup.CONF_DIRS, runner).apply(foreign);
        }
    }

    /** Plans, then prints the plan (--dry-run) or runs it and prints the result (text or --json). Returns the exit code. */
    public int main(boolean dryRun, boolean json) {
        Plan p = plan();
        if (dryRun) {
            List<String> steps = describe(p);
            if (json) {
                var n = BuildReport.JSON.createObjectNode();
                n.put("script", script);
                n.put("dry_run", true);
                steps.forEach(n.putArray("steps")::add);
                Log.result(n.toPrettyString());
            } else {
                Log.result("plan (--dry-run: nothing is registered, built, pushed or written):");
                steps.forEach(l -> Log.result("  " + l));
            }
            return 0;
        }
        if (o.qemuOnly) {
            ensureEmulation(p);
            Binfmt binfmt = new Binfmt(o.binfmtDir);
            for (Arch a : p.archs()) {
                Log.result(p.emulated(a) || (o.setupQemu && a != p.host()) ? binfmt.problem(binfmt.check(a))
                        : a.platform() + ": native on this " + p.host().platform() + " host");
            }
            return 0;
        }
        BuildReport r = execute(p);
        Log.result(json ? r.toJson().toPrettyString() : r.toText());
        return 0;
    }

    /**
     * Exit 3 when the output says docker or its buildx plugin is missing: docker 20-27 print
     * "docker: 'buildx' is not a docker command.", docker 28 "docker: unknown command: docker buildx".
     */
    static void requireBuildx(ProcessFailedException e) {
        String out = e.result() == null ? e.getMessage() : e.result().stderr() + "\n" + e.result().stdout();
        if (e.result() == null && !e.timedOut() && e.getMessage().startsWith("cannot start")) {
            throw N0d3Exception.unexpectedState(e.getMessage() + ": install the docker CLI");
        }
        if (out.contains("'buildx' is not a docker command") || out.contains("unknown command: docker buildx")) {
            throw N0d3Exception.unexpectedState("docker buildx is not available: install the buildx plugin"
                    + " (Debian: docker-buildx; Docker's apt repository: docker-buildx-plugin)");
        }
    }

    /**
     * An image's inspection from the daemon the docker CLI talks to: through the Engine API when that is the same daemon
     * (DOCKER_HOST, or the default context: the quick way), else through {@code docker image inspect} (another context,
     * which may be ssh:// or TLS, where our API client does not go).
     */
    JsonNode inspectImage(String ref) {
        String ctx = env.get("DOCKER_CONTEXT");
        boolean api = (ctx != null && !ctx.isBlank()) ? ctx.strip().equals("default") : (present("DOCKER_HOST") || currentContext(env).equals("default"));
        if (api) return engine.get("/images/" + ref + "/json");
        ProcessResult r = cli.run(cli.command(cli.imageInspect(ref), SHORT));
        try {
            return BuildReport.JSON.readTree(r.stdout()).path(0);
        } catch (java.io.IOException e) {
            throw N0d3Exception.failure("docker image inspect " + ref + " printed no JSON: " + firstLine(r.stdout()));
        }
    }

    /** The docker driver's builder is the daemon itself: only a named builder or a docker-container one is inspected. */
    boolean inspectsBuilder(Plan p) {
        return p.builder() != null || p.driver().equals("docker-container");
    }

    String builderName(Plan p) {
        if (p.builder() != null) return p.builder();
        if (p.driver().equals("docker-container")) return CONTAINER_BUILDER;
        String ctx = env.get("DOCKER_CONTEXT");
        if (ctx != null && !ctx.isBlank()) return ctx.strip();
        if (present("DOCKER_HOST")) return "default";
        return currentContext(env);
    }

    /** What {@code docker context show} prints, read where docker keeps it: currentContext of DOCKER_CONFIG/config.json. */
    static String currentContext(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        Path config = dir != null && !dir.isBlank() ? Path.of(dir, "config.json")
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
        try {
            String name = BuildReport.JSON.readTree(config.toFile()).path("currentContext").asText("");
            return name.isBlank() ? "default" : name;
        } catch (java.io.IOException e) {
            return "default";
        }
    }

    /** The builder exists (created for docker-container), runs, has the asked driver and lists the platforms. */
    String ensureBuilder(Plan p) {
        String name = builderName(p);
        ProcessResult r;
        try {
            r = cli.run(cli.command(cli.inspectBuilder(name), Duration.ofMinutes(5)));
        } catch (ProcessFailedException e) {
            requireBuildx(e);
            r = e.result();
            if (r == null) throw e;
        }
        if (!r.ok()) {
            String why = firstLine(r.stderr() + r.stdout());
            if (!p.driver().equals("docker-container")) {
                throw N0d3Exception.unexpectedState("buildx builder '" + name + "' is not usable: " + why
                        + " (for --driver docker the builder is a docker context: docker context ls)");
            }
            Log.info("creating buildx builder '" + name + "' (driver docker-container)");
            cli.run(cli.command(cli.createBuilder(name, p.driver(), o.driverOpts), Duration.ofMinutes(10)).echo(true));
            r = cli.run(cli.command(cli.inspectBuilder(name), Duration.ofMinutes(5)));
        }
        DockerCli.BuilderInfo info = DockerCli.parseInspect(r.stdout());
        if (info.driver() != null && !info.driver().equals(p.driver())) {
            throw N0d3Exception.unexpectedState("buildx builder '" + name + "' uses driver " + info.driver() + ", not " + p.driver()
                    + ": pass --driver " + info.driver() + " or choose another --builder");
        }
        if (info.status() != null && !info.status().equals("running")) {
            throw N0d3Exception.unexpectedState("buildx builder '" + name + "' is " + info.status() + ", not running");
        }
        for (Arch a : p.archs()) {
            if (!info.platforms().isEmpty() && !info.platforms().contains(a.platform())) {
                Log.warn("buildx builder '" + name + "' does not list " + a.platform() + " (" + String.join(", ", info.platforms())
                        + "); it may have started before QEMU was registered: docker buildx stop " + name + " restarts it");
            }
        }
        Log.ok("buildx builder '" + name + "' (" + info.driver() + ", " + info.status() + ")");
        return name;
    }

    /** One buildx build, its output streamed; a failure names the platform and buildx's own ERROR line (exit 1). */
    void build(Plan p, Arch a, String builder) {
        try {
            cli.run(cli.command(cli.build(spec(p, a, builder)), p.buildTimeout()).echo(true));
        } catch (ProcessFailedException e) {
            requireBuildx(e);
            if (e.timedOut()) throw N0d3Exception.failure("build of " + a.platform() + " did not finish within " + Units.format(p.buildTimeout())
                    + " (--build-timeout) and was stopped");
            String out = e.result() == null ? "" : e.result().stderr() + "\n" + e.result().stdout();
            throw N0d3Exception.failure("build of " + a.platform() + " failed (docker buildx build exited " + e.result().exitCode() + "): "
                    + buildxError(out));
        }
    }

    /** The last "ERROR: ..." line buildx printed, else the last line. */
    static String buildxError(String output) {
        String last = "";
        String error = null;
        for (String line : output.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty()) continue;
            last = l;
            if (l.startsWith("ERROR:")) error = l;
        }
        String s = error != null ? error : last;
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    void login(Plan p, RegistryCredentials c) {
        String reg = p.tags().registry().isEmpty() ? "Docker Hub" : p.tags().registry();
        Log.info("docker login to " + reg + " as " + c.username() + " (password from " + c.password().source() + ", on standard input)");
        try {
            cli.run(cli.loginCommand(p.tags().registry(), c.username(), c.password(), Duration.ofMinutes(2)));
        } catch (ProcessFailedException e) {
            throw N0d3Exception.failure("registry login to " + reg + " as " + c.username() + " failed: " + e.getMessage());
        }
        Log.ok("logged in to " + reg);
    }

    /** Pushes every tag of one image; returns its registry digest (the same for all of them, or exit 1). */
    String push(List<String> tags) {
        String digest = null;
        for (String t : tags) {
            Log.info("push " + t);
            ProcessResult r;
            try {
                r = cli.run(cli.command(cli.push(t), PUSH_TIMEOUT).echo(true));
            } catch (ProcessFailedException e) {
                String out = e.result() == null ? "" : (e.result().stdout() + "\n" + e.result().stderr()).strip();
                String last = out.isEmpty() ? e.getMessage() : out.substring(out.lastIndexOf('\n') + 1).strip();
                boolean auth = out.contains("no basic auth credentials") || out.contains("unauthorized") || out.contains("denied");
                throw N0d3Exception.failure("docker push " + t + " failed: " + last + (auth
                        ? " (the registry wants credentials: set REGISTRY_USERNAME and REGISTRY_PASSWORD_FILE, or run docker login first)" : ""));
            }
            String d = DockerCli.pushDigest(r.stdout()).orElseThrow(() -> N0d3Exception.failure(
                    "docker push " + t + " reported no digest: " + firstLine(r.stdout())));
            if (digest != null && !digest.equals(d)) {
                throw N0d3Exception.failure("tags of one image were pushed with different digests: " + tags.get(0) + " " + digest + ", " + t + " " + d);
            }
            digest = d;
            Log.ok("pushed " + t + " " + d);
        }
        return digest;
    }

    /** imagetools create from the per-architecture tags, then reads every tag back from the registry and verifies it. */
    void manifest(Plan p, BuildReport report) {
        Map<String, String> expected = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        for (Arch a : p.manifestArchs()) {
            String ref = p.tags().archRef(a);
            sources.add(ref);
            // always what the registry serves now (a tag pushed as an index, as builders with attestations do, is
            // resolved to its image for the platform); a tag pushed by this run must still be what was pushed
            byte[] raw = rawOrMissing(ref, a);
            String pushed = report.platforms.stream().filter(r -> r.arch == a && r.digest != null).map(r -> r.digest).findFirst().orElse(null);
            if (pushed != null && !pushed.equals(ManifestList.sha256(raw))) {
                throw N0d3Exception.failure(ref + " in the registry is " + ManifestList.sha256(raw) + ", not " + pushed
                        + " as pushed a moment ago: did another build push the same tag?");
            }
            expected.put(a.platform(), platformDigest(ref, a, raw));
        }
        Log.info("manifest list " + String.join(", ", p.tags().manifestTags()) + " <- " + String.join(", ", sources));
        cli.run(cli.command(cli.imagetoolsCreate(p.tags().manifestTags(), sources), REGISTRY_TIMEOUT).echo(Log.verbose()));
        String digest = null;
        for (String t : p.tags().manifestTags()) {
            ManifestList list = ManifestList.parse(t, raw(t));
            list.verify(t, expected);
            if (digest != null && !digest.equals(list.digest())) {
                throw N0d3Exception.failure("manifest tags differ: " + p.tags().manifestRef() + " is " + digest + " but " + t + " is " + list.digest());
            }
            digest = list.digest();
        }
        report.manifestDigest = digest;
        report.manifestTags = p.tags().manifestTags();
        report.manifestPlatforms = expected;
        Log.ok("manifest list " + p.tags().manifestRef() + " " + digest + " holds exactly " + String.join(", ", expected.keySet()));
    }

    /** A per-architecture tag as the registry serves it; exit 1 naming the script that pushes it when it is not there. */
    byte[] rawOrMissing(String ref, Arch a) {
        try {
            return raw(ref);
        } catch (ProcessFailedException e) {
            throw N0d3Exception.failure("cannot read " + ref + " from the registry: push it first (build_" + (a == Arch.AMD64 ? "amd" : "arm")
                    + ".java --push), or leave " + a.platform() + " out with --manifest-platform: " + e.getMessage());
        }
    }

    /** The digest of the platform's image: the tag's own, or when the tag is an index, its entry for the platform. */
    static String platformDigest(String ref, Arch a, byte[] raw) {
        String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
        if (text.contains("\"manifests\"")) {
            String d = ManifestList.parse(ref, raw).byPlatform().get(a.platform());
            if (d == null) throw N0d3Exception.failure(ref + " is an index without " + a.platform());
            return d;
        }
        return ManifestList.sha256(raw);
    }

    byte[] raw(String ref) {
        ProcessResult r;
        try {
            r = cli.run(cli.command(cli.imagetoolsRaw(ref), REGISTRY_TIMEOUT));
        } catch (ProcessFailedException e) {
            requireBuildx(e);
            throw e;
        }
        return r.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int i = t.indexOf('\n');
        return i < 0 ? t : t.substring(0, i).strip();
    }
}
