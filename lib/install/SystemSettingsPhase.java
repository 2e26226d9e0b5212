package lib.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lib.config.Codex;
import lib.overlay.OverlaySettings;
import lib.proc.Command;
import lib.secret.Secret;

/**
 * Phase 3: the node's directories (owned by root, with their modes), the API token as a 0600 file for the
 * services that need it later, the sysctl drop-in (applied with {@code sysctl --system}), and
 * /etc/docker/daemon.json merged (see {@link DaemonJson}), backed up, with Docker restarted only when
 * the file changed. With an alternate --root the files are written there and nothing is applied to the
 * running kernel or services.
 */
public final class SystemSettingsPhase extends Phase {
    public static final String ETC_DIR = "/etc/pr-cybr";
    public static final String SECRETS_DIR = "/etc/pr-cybr/secrets";
    public static final String LIB_DIR = "/var/lib/pr-cybr";
    public static final String LOG_DIR = "/var/log/pr-cybr";
    public static final int LOG_DIR_MODE = 0750;
    /** The management node's API token, for the telemetry service (API_TOKEN_FILE). */
    public static final String API_TOKEN_FILE = "/etc/pr-cybr/secrets/api-token";
    /** The directories the installer owns: --uninstall --purge removes them. */
    public static final Map<String, Integer> DIRECTORIES = dirs();

    static final int TAILSCALE_MTU = 1280;

    private final OverlaySettings overlays;
    private ObjectNode daemonJson;
    private Optional<Secret> apiToken = Optional.empty();
    private DaemonJson.Merge merge;

    public SystemSettingsPhase(OverlaySettings overlays) {
        super("system", "System settings");
        this.overlays = overlays;
    }

    private static Map<String, Integer> dirs() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(ETC_DIR, 0755);
        m.put(SECRETS_DIR, 0700);
        m.put(LIB_DIR, 0755);
        m.put(LOG_DIR, LOG_DIR_MODE);
        return m;
    }

    /** Reads daemon.json (refusing invalid JSON) and the API token (a missing token file is exit 2). */
    @Override
    public void validate(InstallContext ctx) {
        daemonJson =
                DaemonJson.parse(ctx.root().show(DaemonJson.PATH), ctx.root().read(DaemonJson.PATH));
        apiToken = ctx.settings().apiToken();
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        TargetRoot root = ctx.root();
        DIRECTORIES.forEach((dir, mode) -> ctx.ensureDir(p, dir, mode));
        apiToken.ifPresent(t -> {
            p.addIfChanges(FileChange.write(root, API_TOKEN_FILE, t.reveal() + "\n", 0600)
                    .secret());
            p.note("API token from " + t.source() + " kept in " + API_TOKEN_FILE + " (0600) for the node's services");
        });

        boolean overlay = overlays.zerotierEnabled() || overlays.tailscaleEnabled();
        FileChange sysctl = FileChange.write(
                root, SysctlDropIn.PATH, SysctlDropIn.render(overlay, overlays.tailscaleRoutes()), SysctlDropIn.MODE);
        p.addIfChanges(sysctl);
        if (sysctl.contentChanges()) {
            if (root.live()) p.add(CommandAction.run(Command.of("sysctl", "--system"), "load the drop-in now"));
            else p.note("alternate root: sysctl --system is not run (the running kernel is left alone)");
        }

        Map<String, JsonNode> desired = desiredDaemonKeys(ctx, daemonJson, p);
        merge = DaemonJson.merge(daemonJson, desired, ctx.state().daemonJson());
        merge.kept().forEach(k -> p.note("daemon.json keeps " + k));
        if (!merge.result().equals(daemonJson)) {
            FileChange dj = FileChange.write(
                            root,
                            DaemonJson.PATH,
                            DaemonJson.render(merge.result()),
                            currentModeOr(root, DaemonJson.PATH, DaemonJson.MODE))
                    .backup();
            p.addIfChanges(dj);
            if (dj.contentChanges()) restartDocker(ctx, p);
        }
        return p;
    }

    private static int currentModeOr(TargetRoot root, String path, int dflt) {
        int m = root.mode(path);
        return m < 0 ? dflt : m;
    }

    /** Log rotation for the json-file and local drivers, an MTU under an overlay, metrics-addr when configured. */
    Map<String, JsonNode> desiredDaemonKeys(InstallContext ctx, ObjectNode current, PhasePlan p) {
        Codex.Install inst = ctx.settings().codex().install();
        Codex.InstallDocker d = inst == null ? null : inst.docker();
        Map<String, JsonNode> want = new LinkedHashMap<>();
        String driver = current.path("log-driver").asText("json-file");
        if (driver.equals("json-file") || driver.equals("local")) {
            want.put(
                    "log-opts.max-size",
                    TextNode.valueOf(d == null || d.logMaxSize() == null ? "10m" : d.logMaxSize()));
            want.put(
                    "log-opts.max-file",
                    TextNode.valueOf(String.valueOf(d == null || d.logMaxFile() == null ? 3 : d.logMaxFile())));
        } else {
            p.note("daemon.json log-driver is " + driver
                    + ": no log rotation keys added (max-size/max-file are json-file and local options)");
        }
        int mtu =
                d != null && d.mtu() != null && d.mtu() > 0 ? d.mtu() : overlays.tailscaleEnabled() ? TAILSCALE_MTU : 0;
        if (mtu > 0) want.put("mtu", IntNode.valueOf(mtu));
        if (d != null && d.metricsAddr() != null && !d.metricsAddr().isBlank())
            want.put("metrics-addr", TextNode.valueOf(d.metricsAddr()));
        return want;
    }

    private static void restartDocker(InstallContext ctx, PhasePlan p) {
        if (!ctx.root().live()) {
            p.note("alternate root: Docker is not restarted (daemon.json under the root is not the running daemon's)");
            return;
        }
        if (!ctx.dockerExpected()) return;
        List<Command> restart = ctx.services().restart("docker");
        if (restart.isEmpty()) {
            p.warn("no init system: restart dockerd yourself for the new daemon.json to take effect");
            return;
        }
        restart.forEach(c -> p.add(CommandAction.service(c, "daemon.json changed")));
        p.step(
                "wait",
                "until the Engine API answers again at " + ctx.docker().host().display(),
                DockerPhase::awaitEngine);
    }

    @Override
    public void applied(InstallContext ctx, PhasePlan plan) {
        if (merge == null) return;
        ctx.state().daemonJson(merge.ours());
    }
}
