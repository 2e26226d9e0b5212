package lib.build;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import lib.cli.Log;
import lib.host.Arch;
import lib.json.Json;
import lib.plan.Result;
import lib.plan.Step;
import lib.plan.Steps;
import lib.proc.Command;
import lib.proc.ProcessRunner;

/**
 * The image build behind build_amd.java and build_arm.java: its inputs decided by {@link BuildPlanner}, then
 * one list of steps that --dry-run prints and a real run executes: QEMU ({@link Emulation}), the buildx
 * builder, registry login, each platform's build and smoke test, push and manifest list ({@link Promotion}),
 * GitHub outputs. Nothing is pushed unless every platform's smoke test passed.
 */
public final class ImageBuild {
    private final String script;
    private final BuildOptions o;
    private final Map<String, String> env;
    private final ProcessRunner runner;
    private final BuildPlanner planner;
    private final DockerCli cli;
    private final Buildx buildx;

    /** The build that {@code planner} plans: its script, options, environment and process runner. */
    ImageBuild(BuildPlanner planner) {
        this.script = planner.script;
        this.o = planner.o;
        this.env = planner.env;
        this.runner = planner.runner;
        this.planner = planner;
        this.cli = new DockerCli(runner, env, "docker");
        this.buildx = new Buildx(cli, env, o.driverOpts);
    }

    /** For tests: a fixed clock and host architecture. */
    ImageBuild at(Instant fixedNow, String machine) {
        planner.now = fixedNow;
        planner.hostMachine = machine;
        return this;
    }

    public DockerCli cli() {
        return cli;
    }

    /** Checks every input and decides everything (exit 2 on bad input, before anything runs). */
    public BuildPlan plan() {
        return planner.plan();
    }

    /** The buildx build of one platform with a given builder. */
    BuildSpec spec(BuildPlan p, Arch a, String builder) {
        return new BuildSpec(
                builder,
                a,
                p.context(),
                p.dockerfile(),
                p.buildArgs(),
                p.labels(),
                p.tags().archTags(a),
                o.cacheFrom,
                o.cacheTo,
                o.network,
                o.pull);
    }

    private Emulation emulation() {
        return new Emulation(new Binfmt(o.binfmtDir), o.setupQemu, runner);
    }

    /** The steps of this build, in order. Reads binfmt state; changes nothing (exit 3 for missing QEMU without --setup-qemu). */
    public Steps<BuildReport> steps(BuildPlan p) {
        Steps<BuildReport> steps = new Steps<>();
        emulation().addTo(steps, p);
        if (o.qemuOnly) return steps;
        String builder = buildx.builderName(p);
        if (!p.manifestOnly()) {
            steps.add(Step.of("builder", buildx.describeBuilder(p), r -> {
                if (Buildx.inspects(p)) buildx.ensureBuilder(p);
            }));
        }
        p.credentials()
                .ifPresent(c -> steps.add(Step.of(
                        "login",
                        display(cli.login(p.tags().registry(), c.username())) + "   (password from "
                                + c.password().source() + " on standard input)",
                        r -> login(p, c))));
        for (Arch a : p.archs()) {
            steps.add(
                    Step.of("build", display(cli.build(spec(p, a, builder))), report -> build(p, a, builder, report)));
            if (p.smokeCmd() != null) {
                Pattern e = SmokeTest.expectation(o.smokeExpect, a, "--smoke-expect");
                steps.add(Step.of(
                        "smoke",
                        display(cli.smokeCreate(p.tags().archRef(a), a, p.smokeCmd())) + "; "
                                + display(cli.startAttached("CONTAINER")) + "; "
                                + display(cli.removeContainer("CONTAINER")) + "   (exit 0"
                                + (e == null ? "" : ", output matching " + e.pattern())
                                + (p.emulated(a) ? ", under QEMU" : "") + ")",
                        report -> smoke(p, a, e, report.platform(a))));
            } else {
                steps.last().then(r -> Log.warn("smoke test of " + a.platform() + " skipped (--no-smoke)"));
            }
        }
        Promotion promotion = new Promotion(cli);
        if (p.push()) promotion.addPushes(steps, p);
        if (p.manifest()) promotion.addManifest(steps, p);
        if (present("GITHUB_OUTPUT")) {
            steps.add(Step.of("outputs", "append to " + env.get("GITHUB_OUTPUT"), r -> {
                if (GithubOutputs.writeOutputs(env, r.outputs())) Log.info("step outputs appended to GITHUB_OUTPUT");
            }));
        }
        if (present("GITHUB_STEP_SUMMARY")) {
            steps.add(Step.of("summary", "append to " + env.get("GITHUB_STEP_SUMMARY"), r -> {
                if (GithubOutputs.writeSummary(env, r.summary()))
                    Log.info("job summary appended to GITHUB_STEP_SUMMARY");
            }));
        }
        return steps;
    }

    /** The exact steps, one per line, as --dry-run prints them. Reads binfmt state; changes nothing. */
    public List<String> describe(BuildPlan p) {
        return steps(p).lines();
    }

    static String display(List<String> argv) {
        return Command.of(argv).display();
    }

    /** Runs the steps; the report holds what they produced. */
    public BuildReport execute(BuildPlan p) {
        BuildReport report = new BuildReport(script, p.tags());
        steps(p).run(report, s -> {});
        return report;
    }

    private void login(BuildPlan p, RegistryCredentials c) {
        String reg = p.tags().registry().isEmpty() ? "Docker Hub" : p.tags().registry();
        Log.info("docker login to " + reg + " as " + c.username() + " (password from "
                + c.password().source() + ", on standard input)");
        try {
            cli.run(cli.loginCommand(p.tags().registry(), c.username(), c.password(), java.time.Duration.ofMinutes(2)));
        } catch (lib.proc.ProcessFailedException e) {
            throw lib.cli.N0d3Exception.failure(
                    "registry login to " + reg + " as " + c.username() + " failed: " + e.getMessage());
        }
        Log.ok("logged in to " + reg);
    }

    private void build(BuildPlan p, Arch a, String builder, BuildReport report) {
        BuildReport.PlatformResult r =
                new BuildReport.PlatformResult(a, p.tags().archTags(a), p.emulated(a));
        report.platforms.add(r);
        Log.info("build " + a.platform() + (p.emulated(a) ? " (under QEMU)" : "") + " -> " + String.join(", ", r.tags));
        long t0 = System.nanoTime();
        buildx.build(spec(p, a, builder), p.buildTimeout());
        r.buildMillis = (System.nanoTime() - t0) / 1_000_000;
        r.imageId = buildx.inspectImage(p.tags().archRef(a)).path("Id").asText(null);
        Log.ok("built " + p.tags().archRef(a) + " (" + BuildReport.shortId(r.imageId) + ") in " + r.buildMillis
                + " ms");
    }

    private void smoke(BuildPlan p, Arch a, Pattern expect, BuildReport.PlatformResult r) {
        r.smoke = new SmokeTest(cli, buildx::inspectImage)
                .run(
                        p.tags().archRef(a),
                        a,
                        p.smokeCmd(),
                        expect,
                        p.smokeTimeout(),
                        p.emulated(a),
                        w -> Log.warn("docker, creating the smoke test container of " + a.platform() + ": " + w));
        Log.ok("smoke test " + a.platform() + (p.emulated(a) ? " under QEMU" : "") + ": '" + r.smoke.command() + "' -> "
                + BuildReport.firstLine(r.smoke.output()));
    }

    private boolean present(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** Plans, then prints the plan (--dry-run) or runs it and prints the result (text or --json). Returns the exit code. */
    public int main(boolean dryRun, boolean json) {
        BuildPlan p = plan();
        if (dryRun) {
            List<String> steps = describe(p);
            if (json) {
                var n = Json.object();
                n.put("script", script);
                n.put("dry_run", true);
                steps.forEach(n.putArray("steps")::add);
                Log.result(Json.pretty(n));
            } else {
                Log.result("plan (--dry-run: nothing is registered, built, pushed or written):");
                steps.forEach(l -> Log.result("  " + l));
            }
            return 0;
        }
        if (o.qemuOnly) {
            steps(p).run(new BuildReport(script, p.tags()), s -> {});
            emulation().status(p).forEach(Log::result);
            return 0;
        }
        return Result.print(execute(p), json);
    }
}
