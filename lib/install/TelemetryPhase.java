package lib.install;

import java.util.ArrayList;
import java.util.List;
import lib.proc.Command;

/**
 * Phase 6: the telemetry service's systemd units ({@link TelemetryUnits}) written to
 * /etc/systemd/system and enabled like {@code systemctl enable} does; on a host where systemd runs,
 * {@code systemctl daemon-reload} and a start of what changed. Disabled telemetry: skipped. The units run
 * /opt/pr-cybr/n0d3.jar: the given --jar, the running n0d3.jar, or under JBang one assembled from JBang's build
 * ({@link RuntimeJar}); a jar that would change is first run as the units run it, and refused if it does not.
 * They run it with /usr/bin/java, installed first when missing ({@link UnitJava}).
 */
public final class TelemetryPhase extends Phase {
    public static final String UNIT_DIR = "/etc/systemd/system";
    /** Where the units run the jar from (their ExecStart and ConditionPathExists). */
    public static final String JAR = "/opt/pr-cybr/n0d3.jar";
    /** The units' EnvironmentFile. */
    public static final String ENV_FILE = "/etc/pr-cybr/telemetry.env";

    public TelemetryPhase() {
        super("telemetry", "Telemetry units");
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        if (!Boolean.TRUE.equals(
                ctx.settings().codex().capabilities().telemetry().enabled()))
            return p.skip("capabilities.telemetry.enabled is false");
        TargetRoot root = ctx.root();
        List<TelemetryUnits.Unit> files = TelemetryUnits.units(ctx);
        boolean changed = UnitJava.plan(ctx, p);
        RuntimeJar jar =
                ctx.options().jar() != null ? RuntimeJar.file(ctx.options().jar()) : RuntimeJar.ofThisProcess();
        if (jar == null) {
            p.warn("running from a class path of folders and no --jar given: the units start only once " + JAR
                    + " exists");
        } else {
            FileChange f = FileChange.write(root, JAR, jar.bytes(), 0644).binary();
            if (f.changes()) {
                java.nio.file.Path runsOn = root.live() && root.exists(UnitJava.JAVA)
                        ? java.nio.file.Path.of(UnitJava.JAVA)
                        : RuntimeJar.currentJava();
                jar.verify(ctx.runner(), runsOn);
                p.note(JAR + ": " + jar.origin() + "; checked: it carries every script and runs on " + runsOn);
            }
            p.addIfChanges(f);
            changed |= f.changes();
        }
        FileChange env = FileChange.write(root, ENV_FILE, environment(ctx), 0644);
        p.addIfChanges(env);
        changed |= env.changes();
        for (TelemetryUnits.Unit u : files) {
            FileChange f = FileChange.write(root, UNIT_DIR + "/" + u.name(), u.content(), 0644);
            p.addIfChanges(f);
            changed |= f.changes();
        }
        List<String> start = TelemetryUnits.ENABLE;
        for (EnableLink e : enableLinks(files)) {
            LinkChange l = new LinkChange(root, e.link(), e.pointsTo());
            if (l.changes()) {
                p.add(l);
                changed = true;
            }
        }
        ServiceManager sm = ctx.services();
        if (changed && root.live() && sm == ServiceManager.SYSTEMD) {
            sm.reload().forEach(c -> p.add(CommandAction.service(c, "read the new units")));
            for (String u : start)
                p.add(CommandAction.service(
                        Command.of("systemctl", "restart", u).timeout(ServiceManager.TIMEOUT), "start it now"));
        } else if (changed && root.live()) {
            p.warn(
                    "systemd is not running here: the units are installed and enabled for the next boot with systemd, not started");
        } else if (changed) {
            p.note("alternate root: units installed and enabled under the root; nothing is started");
        } else {
            p.note(String.join(", ", start) + " installed and enabled");
        }
        return p;
    }

    /** The units' environment: the management node, the token file, the node id registration uses. */
    static String environment(InstallContext ctx) {
        StringBuilder sb = new StringBuilder(
                "# Written by PR-CYBR-N0D3 install.java for the telemetry units (EnvironmentFile=-" + ENV_FILE + ").\n"
                        + "# Replaced on every install, removed by install.java --uninstall. No secret here: the token is in API_TOKEN_FILE.\n");
        ctx.settings()
                .mgmtUrl()
                .ifPresent(u -> sb.append("MGMT_NODE_URL=").append(u).append('\n'));
        if (ctx.settings().apiToken().isPresent())
            sb.append("API_TOKEN_FILE=")
                    .append(SystemSettingsPhase.API_TOKEN_FILE)
                    .append('\n');
        sb.append("NODE_NAME=").append(ctx.settings().nodeName()).append('\n');
        sb.append("NODE_ID=")
                .append(RegistrationPhase.nodeId(ctx.env(), ctx.settings().nodeName()))
                .append('\n');
        sb.append("TELEMETRY_INTERVAL=")
                .append(lib.config.Units.format(ctx.settings().telemetryInterval()))
                .append('\n');
        return sb.toString();
    }

    @Override
    public void applied(InstallContext ctx, PhasePlan plan) {
        if (plan.isSkipped()) return;
        ctx.state().set(InstallState.TELEMETRY, new InstallState.Telemetry(TelemetryUnits.ENABLE));
    }

    /** A link that enables a unit the way {@code systemctl enable} does: UNIT_DIR/TARGET.wants/UNIT -> UNIT_DIR/UNIT. */
    record EnableLink(String unit, String link, String pointsTo) {}

    /** The links enabling each unit of {@link TelemetryUnits#ENABLE}, one per WantedBy= target, in order. */
    static List<EnableLink> enableLinks(List<TelemetryUnits.Unit> units) {
        List<EnableLink> out = new ArrayList<>();
        for (String name : TelemetryUnits.ENABLE) {
            String content = units.stream()
                    .filter(u -> u.name().equals(name))
                    .map(TelemetryUnits.Unit::content)
                    .findFirst()
                    .orElse("");
            for (String target : wantedBy(content))
                out.add(new EnableLink(name, UNIT_DIR + "/" + target + ".wants/" + name, UNIT_DIR + "/" + name));
        }
        return out;
    }

    /** The targets named by WantedBy= in the [Install] section. */
    static List<String> wantedBy(String unit) {
        List<String> out = new ArrayList<>();
        boolean install = false;
        for (String line : unit.split("\n")) {
            String l = line.strip();
            if (l.startsWith("[")) install = l.equals("[Install]");
            else if (install && l.startsWith("WantedBy=")) {
                for (String t : l.substring("WantedBy=".length()).strip().split("\\s+")) if (!t.isEmpty()) out.add(t);
            }
        }
        return out;
    }
}
