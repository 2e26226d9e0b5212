package lib.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.config.Units;
import lib.docker.DockerClient;
import lib.host.Arch;
import lib.json.Json;
import lib.proc.ProcessFailedException;
import lib.proc.ProcessResult;

/**
 * The docker buildx side of a build: which builder builds (the current docker context's for the docker
 * driver, a named or created docker-container one), its check or creation, one platform's build with its
 * failure summed up by buildx's own error line, and the built image read back from the daemon.
 */
final class Buildx {
    static final String CONTAINER_BUILDER = "n0d3";
    static final Duration SHORT = Duration.ofSeconds(30);

    private final DockerCli cli;
    private final DockerClient engine;
    private final Map<String, String> env;
    private final List<String> driverOpts;

    Buildx(DockerCli cli, Map<String, String> env, List<String> driverOpts) {
        this.cli = cli;
        this.env = env;
        this.driverOpts = driverOpts;
        this.engine = DockerClient.fromEnv(env).timeout(SHORT);
    }

    /** The docker driver's builder is the daemon itself: only a named builder or a docker-container one is inspected. */
    static boolean inspects(BuildPlan p) {
        return p.builder() != null || p.driver().equals("docker-container");
    }

    String builderName(BuildPlan p) {
        if (p.builder() != null) return p.builder();
        if (p.driver().equals("docker-container")) return CONTAINER_BUILDER;
        String ctx = env.get("DOCKER_CONTEXT");
        if (ctx != null && !ctx.isBlank()) return ctx.strip();
        if (present("DOCKER_HOST")) return "default";
        return currentContext(env);
    }

    /** What --dry-run shows for the builder step. */
    String describeBuilder(BuildPlan p) {
        String builder = builderName(p);
        return inspects(p)
                ? ImageBuild.display(cli.inspectBuilder(builder))
                        + (p.driver().equals("docker-container")
                                ? "   (if missing: "
                                        + ImageBuild.display(cli.createBuilder(builder, p.driver(), driverOpts)) + ")"
                                : "")
                : builder + "   (docker driver: the daemon itself builds; nothing to check or create)";
    }

    private boolean present(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** What {@code docker context show} prints, read where docker keeps it: currentContext of DOCKER_CONFIG/config.json. */
    static String currentContext(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        Path config = dir != null && !dir.isBlank()
                ? Path.of(dir, "config.json")
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
        try {
            String name = Json.parse(Files.readAllBytes(config))
                    .path("currentContext")
                    .asText("");
            return name.isBlank() ? "default" : name;
        } catch (java.io.IOException e) {
            return "default";
        }
    }

    /**
     * Exit 3 when the output says docker or its buildx plugin is missing: docker 20-27 print
     * "docker: 'buildx' is not a docker command.", docker 28 "docker: unknown command: docker buildx".
     */
    static void requireBuildx(ProcessFailedException e) {
        String out = e.result() == null
                ? e.getMessage()
                : e.result().stderr() + "\n" + e.result().stdout();
        if (e.result() == null && !e.timedOut() && e.getMessage().startsWith("cannot start")) {
            throw N0d3Exception.unexpectedState(e.getMessage() + ": install the docker CLI");
        }
        if (out.contains("'buildx' is not a docker command") || out.contains("unknown command: docker buildx")) {
            throw N0d3Exception.unexpectedState("docker buildx is not available: install the buildx plugin"
                    + " (Debian: docker-buildx; Docker's apt repository: docker-buildx-plugin)");
        }
    }

    /** The builder exists (created for docker-container), runs, has the asked driver and lists the platforms. */
    String ensureBuilder(BuildPlan p) {
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
            cli.run(cli.command(cli.createBuilder(name, p.driver(), driverOpts), Duration.ofMinutes(10))
                    .echo(true));
            r = cli.run(cli.command(cli.inspectBuilder(name), Duration.ofMinutes(5)));
        }
        DockerCli.BuilderInfo info = DockerCli.parseInspect(r.stdout());
        if (info.driver() != null && !info.driver().equals(p.driver())) {
            throw N0d3Exception.unexpectedState("buildx builder '" + name + "' uses driver " + info.driver() + ", not "
                    + p.driver() + ": pass --driver " + info.driver() + " or choose another --builder");
        }
        if (info.status() != null && !info.status().equals("running")) {
            throw N0d3Exception.unexpectedState("buildx builder '" + name + "' is " + info.status() + ", not running");
        }
        for (Arch a : p.archs()) {
            if (!info.platforms().isEmpty() && !info.platforms().contains(a.platform())) {
                Log.warn("buildx builder '" + name + "' does not list " + a.platform() + " ("
                        + String.join(", ", info.platforms())
                        + "); it may have started before QEMU was registered: docker buildx stop " + name
                        + " restarts it");
            }
        }
        Log.ok("buildx builder '" + name + "' (" + info.driver() + ", " + info.status() + ")");
        return name;
    }

    /** One buildx build, its output streamed; a failure names the platform and buildx's own ERROR line (exit 1). */
    void build(BuildSpec spec, Duration timeout) {
        try {
            cli.run(cli.command(cli.build(spec), timeout).echo(true));
        } catch (ProcessFailedException e) {
            requireBuildx(e);
            if (e.timedOut())
                throw N0d3Exception.failure("build of " + spec.arch().platform() + " did not finish within "
                        + Units.format(timeout) + " (--build-timeout) and was stopped");
            String out = e.result() == null
                    ? ""
                    : e.result().stderr() + "\n" + e.result().stdout();
            throw N0d3Exception.failure("build of " + spec.arch().platform() + " failed (docker buildx build exited "
                    + e.result().exitCode() + "): " + buildxError(out));
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

    /**
     * An image's inspection from the daemon the docker CLI talks to: through the Engine API when that is the same daemon
     * (DOCKER_HOST, or the default context: the quick way), else through {@code docker image inspect} (another context,
     * which may be ssh:// or TLS, where our API client does not go).
     */
    JsonNode inspectImage(String ref) {
        String ctx = env.get("DOCKER_CONTEXT");
        boolean api = (ctx != null && !ctx.isBlank())
                ? ctx.strip().equals("default")
                : (present("DOCKER_HOST") || currentContext(env).equals("default"));
        if (api) return engine.get("/images/" + ref + "/json");
        ProcessResult r = cli.run(cli.command(cli.imageInspect(ref), SHORT));
        if (r.stdout().isBlank()) return MissingNode.getInstance();
        try {
            return Json.parse(r.stdout()).path(0);
        } catch (Json.Malformed e) {
            throw N0d3Exception.failure("docker image inspect " + ref + " printed no JSON: " + firstLine(r.stdout()));
        }
    }

    static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int i = t.indexOf('\n');
        return i < 0 ? t : t.substring(0, i).strip();
    }
}
