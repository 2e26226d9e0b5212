package lib.install;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.config.Codex;
import lib.proc.Command;

/**
 * Phase 2: a running Docker engine. Running already → kept, its version reported. Installed but stopped →
 * enabled and started (systemd, OpenRC, or with no init system started in the background with setsid and
 * said so). Missing → installed from the distro's packages (or Docker CE, see {@link DockerPackages}) with
 * the package manager's output shown as progress, then started. Every path ends by waiting for the Engine
 * API to answer. With an alternate --root the installer uses the Docker that DOCKER_HOST points at and
 * installs nothing.
 */
public final class DockerPhase extends Phase {
    static final List<String> DOCKERD = List.of("/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/local/bin/dockerd");
    static final String BACKGROUND_LOG = "/var/log/pr-cybr/dockerd.log";
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private boolean running;
    private JsonNode version;

    public DockerPhase() {
        super("docker", "Docker engine");
    }

    @Override
    public void validate(InstallContext ctx) {
        running = ctx.docker().ping();
        if (running) {
            try {
                version = ctx.docker().version();
            } catch (RuntimeException e) {
                version = null;
            }
        }
    }

    /** Plans before any phase writes (preflight changes nothing), so the refusal below leaves the host untouched. */
    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        if (!running && !ctx.root().live() && !ctx.dryRun()) {
            throw N0d3Exception.unexpectedState(
                    "Docker does not answer at " + ctx.docker().host().display()
                            + " and --root is an alternate root: the installer uses a running Docker there (DOCKER_HOST) and installs none; start it first");
        }
        if (running) {
            String v = version == null
                    ? "unknown version"
                    : "Docker " + version.path("Version").asText("?") + " (Engine API "
                            + version.path("ApiVersion").asText("?") + ")";
            p.note(v + " answers at " + ctx.docker().host().display() + ": kept");
            ctx.dockerExpected(true);
            return p;
        }
        String dockerd =
                DOCKERD.stream().filter(d -> ctx.root().exists(d)).findFirst().orElse(null);
        if (dockerd == null) {
            Codex.Install inst = ctx.settings().codex().install();
            String source = inst == null || inst.docker() == null
                    ? "distro"
                    : inst.docker().source();
            DockerPackages.Install install = DockerPackages.plan(ctx, source);
            p.note("Docker is not installed: installing " + String.join(" ", install.packages()) + " with "
                    + install.manager());
            install.notes().forEach(p::note);
            install.actions().forEach(p::add);
            p.actions().get(p.actions().size() - 1).then(c -> recordInstall(c, install));
        } else {
            p.note("Docker is installed (" + dockerd + ") but does not answer at "
                    + ctx.docker().host().display() + ": starting it");
        }
        start(ctx, p);
        if (!ctx.root().live())
            p.warn("--root is an alternate root: a real run refuses to install or start Docker there");
        ctx.dockerExpected(true);
        return p;
    }

    private static void recordInstall(InstallContext c, DockerPackages.Install install) {
        c.state()
                .update(InstallState.DOCKER, d -> d.installed(install.source(), install.manager(), install.packages()));
    }

    private static void start(InstallContext ctx, PhasePlan p) {
        ServiceManager sm = ctx.services();
        if (sm == ServiceManager.NONE) {
            Command bg = Command.of("sh", "-c", "setsid dockerd >>" + BACKGROUND_LOG + " 2>&1 </dev/null &")
                    .timeout(Duration.ofSeconds(10));
            p.note("no init system"
                    + (ctx.facts().container().isEmpty()
                            ? ""
                            : " (" + ctx.facts().container() + " container)")
                    + ": dockerd is started in the background with setsid, its log in " + BACKGROUND_LOG
                    + "; it will not come back after a reboot");
            ctx.ensureDir(p, SystemSettingsPhase.LOG_DIR, SystemSettingsPhase.LOG_DIR_MODE);
            p.add(CommandAction.service(bg, "start dockerd in the background (no init system)")
                    .then(c -> c.state()
                            .update(
                                    InstallState.DOCKER,
                                    d -> d.startedBy("setsid dockerd (no init system), log " + BACKGROUND_LOG))));
        } else {
            for (Command c : sm.enableNow("docker")) p.add(CommandAction.service(c, "start Docker now and at boot"));
            p.actions()
                    .get(p.actions().size() - 1)
                    .then(c -> c.state().update(InstallState.DOCKER, d -> d.startedBy(sm.label())));
        }
        p.step(
                "wait",
                "until the Engine API answers at " + ctx.docker().host().display() + " (up to "
                        + START_TIMEOUT.toSeconds() + "s)",
                DockerPhase::awaitEngine);
    }

    static void awaitEngine(InstallContext ctx) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int tries = 0;
        while (!ctx.docker().ping()) {
            if (System.nanoTime() > deadline) {
                throw N0d3Exception.failure(
                        "Docker did not answer at " + ctx.docker().host().display() + " within "
                                + START_TIMEOUT.toSeconds() + "s after it was started (see journalctl -u docker, or "
                                + BACKGROUND_LOG + " without an init system)");
            }
            if (++tries % 5 == 0) Log.info("  waiting for the Docker engine ...");
            sleep(Duration.ofMillis(500));
        }
        JsonNode v = ctx.docker().version();
        Log.ok("Docker " + v.path("Version").asText("?") + " answers at "
                + ctx.docker().host().display());
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw N0d3Exception.failure("interrupted");
        }
    }
}
