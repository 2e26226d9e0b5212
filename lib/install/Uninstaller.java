package lib.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import lib.plan.Step;
import lib.proc.Command;

/**
 * --uninstall: undoes what the install state says the installer did, and nothing else. The telemetry units
 * are stopped and removed; the swarm is left only with --leave-swarm; every file the installer wrote is
 * removed or, when it replaced an existing file, the original bytes are restored from the backup (daemon.json:
 * restored exactly when it still is what the installer wrote, otherwise only the installer's keys are
 * taken out); Docker is removed only with --remove-docker and only when the installer installed it;
 * directories go with --purge. Overlays are left joined (leaving them could cut off the operator's session);
 * the commands to leave them are printed.
 */
public final class Uninstaller {
    /** The uninstall flags. */
    public record Options(boolean purge, boolean removeDocker, boolean leaveSwarm) {}

    /** What every phase of this uninstall reads. */
    private final Options o;

    private Uninstaller(Options o) {
        this.o = o;
    }

    public static List<Phase> phases(Options o) {
        Uninstaller u = new Uninstaller(o);
        return List.of(
                u.new Services(),
                Phase.of("files", "Remove the installed files", Uninstaller::files),
                Phase.of("docker", "Docker engine", u::docker),
                Phase.of("directories", "Directories and install state", u::directories));
    }

    /** Stop and disable the telemetry units; leave the swarm on request. */
    final class Services extends Phase {
        Services() {
            super("services", "Stop the node's services");
        }

        @Override
        public PhasePlan plan(InstallContext ctx) {
            PhasePlan p = newPlan();
            List<String> units = ctx.state().telemetryUnits();
            if (!units.isEmpty() && ctx.root().live() && ctx.services() == ServiceManager.SYSTEMD) {
                for (String u : units)
                    p.add(CommandAction.service(
                            Command.of("systemctl", "disable", "--now", u).timeout(ServiceManager.TIMEOUT),
                            "stop telemetry"));
            } else if (!units.isEmpty()) {
                p.note("systemd is not running " + (ctx.root().live() ? "here" : "for an alternate root") + ": "
                        + String.join(", ", units) + " removed, not stopped");
            }
            if (o.leaveSwarm()) {
                p.step("leave", "leave the Docker swarm (--leave-swarm)", c -> p.note(SwarmEnrolment.leave(c)))
                        .then(c -> c.state().set(InstallState.SWARM, null));
            } else if (ctx.state().get(InstallState.SWARM) != null) {
                p.note("the node stays in its swarm (add --leave-swarm to leave it)");
            }
            InstallState.Overlays ov = ctx.state().get(InstallState.OVERLAYS);
            if (ov.zerotier() != null)
                p.note("ZeroTier stays joined; to leave: zerotier-cli leave "
                        + ov.zerotier().networkId());
            if (ov.tailscale() != null) p.note("Tailscale stays up; to leave: tailscale logout");
            return p;
        }

        @Override
        public void applied(InstallContext ctx, PhasePlan plan) {
            ctx.state().set(InstallState.TELEMETRY, null);
        }
    }

    /** Remove or restore every file (and link) the installer wrote. */
    private static void files(InstallContext ctx, PhasePlan p) {
        InstallState st = ctx.state();
        TargetRoot root = ctx.root();
        boolean daemonChanged = false;
        boolean sysctlRemoved = false;
        for (String path : st.trackedFiles()) {
            InstallState.Original orig = st.original(path);
            String link = st.writtenLink(path);
            if (link != null) {
                if (link.equals(root.readLink(path))) {
                    p.step(
                                    "remove",
                                    root.show(path) + " (link -> " + link + ")",
                                    c -> c.root().delete(path))
                            .then(c -> c.state().forget(path));
                } else {
                    p.step(
                            "forget",
                            root.show(path) + " (no longer the installer's link)",
                            c -> c.state().forget(path));
                }
                continue;
            }
            byte[] now = root.read(path);
            String written = st.writtenSha(path);
            boolean ours = now != null && InstallState.sha256(now).equals(written);
            Step<InstallContext> a;
            if (path.equals(DaemonJson.PATH) && now != null && !ours) {
                a = daemonUnmerge(ctx, p, now);
            } else if (orig.existed()) {
                byte[] bytes = orig.backup() == null ? null : root.read(orig.backup());
                if (bytes == null) {
                    p.warn(root.show(path) + ": the original is not backed up; left as it is");
                    a = Step.of("forget", root.show(path), c -> {});
                } else {
                    a = FileChange.write(root, path, bytes, Modes.parse(orig.mode() == null ? "0644" : orig.mode()));
                    if (!((FileChange) a).changes())
                        a = Step.of("forget", root.show(path) + " (already the original)", c -> {});
                }
            } else if (now == null) {
                a = Step.of("forget", root.show(path) + " (already gone)", c -> {});
            } else {
                if (!ours && !path.equals(DaemonJson.PATH))
                    p.note(root.show(path) + " changed since the install; removed all the same");
                a = FileChange.remove(root, path);
            }
            if (a == null) continue;
            p.add(a.then(c -> c.state().forget(path)));
            daemonChanged |= path.equals(DaemonJson.PATH) && a instanceof FileChange;
            sysctlRemoved |= path.equals(SysctlDropIn.PATH) && a instanceof FileChange;
        }
        if (sysctlRemoved) {
            if (root.live())
                p.add(CommandAction.run(Command.of("sysctl", "--system"), "reload the remaining drop-ins"));
            p.note(
                    "values set by the drop-in (net.ipv4.ip_forward ...) stay in the running kernel until the next boot");
        }
        if (daemonChanged && root.live() && ctx.docker().ping()) {
            List<Command> restart = ctx.services().restart("docker");
            if (restart.isEmpty()) p.warn("no init system: restart dockerd yourself for daemon.json to take effect");
            restart.forEach(c -> p.add(CommandAction.service(c, "daemon.json changed")));
        }
        if (!st.daemonJson().isEmpty())
            p.step("forget", "the installer's daemon.json keys", c -> c.state().daemonJson(Map.of()));
    }

    /** daemon.json changed since the install: take out only the keys that still hold the installer's values. */
    private static Step<InstallContext> daemonUnmerge(InstallContext ctx, PhasePlan p, byte[] now) {
        ObjectNode current;
        try {
            current = DaemonJson.parse(ctx.root().show(DaemonJson.PATH), now);
        } catch (RuntimeException e) {
            p.warn(e.getMessage() + "; the installer's keys are left in it");
            return Step.of("forget", ctx.root().show(DaemonJson.PATH), c -> {});
        }
        Map<String, JsonNode> ours = ctx.state().daemonJson();
        ObjectNode out = DaemonJson.unmerge(current, ours);
        p.note(ctx.root().show(DaemonJson.PATH)
                + " changed since the install: only the installer's keys are taken out");
        boolean existed = ctx.state().original(DaemonJson.PATH).existed();
        if (out.isEmpty() && !existed) return FileChange.remove(ctx.root(), DaemonJson.PATH);
        FileChange f = FileChange.write(
                        ctx.root(),
                        DaemonJson.PATH,
                        DaemonJson.render(out),
                        ctx.root().mode(DaemonJson.PATH))
                .backup();
        return f.changes()
                ? f
                : Step.of("forget", ctx.root().show(DaemonJson.PATH) + " (none of the installer's keys left)", c -> {});
    }

    /** Remove Docker, only with --remove-docker and only when the installer installed it. */
    private void docker(InstallContext ctx, PhasePlan p) {
        InstallState.Docker d = ctx.state().get(InstallState.DOCKER);
        if (!o.removeDocker()) {
            p.skip("Docker is kept (--remove-docker removes it when the installer installed it)");
            return;
        }
        if (!d.installedByInstall()) {
            p.warn("--remove-docker: Docker was not installed by install.java; it is kept");
            return;
        }
        if (!ctx.root().live()) {
            p.warn("--remove-docker: packages are not removed under an alternate root");
            return;
        }
        ctx.services().disableNow("docker").forEach(c -> p.add(CommandAction.service(c, "stop Docker")));
        DockerPackages.removal(d.packageManager(), d.packages() == null ? List.of() : d.packages())
                .forEach(c -> p.add(CommandAction.run(c, "installed by install.java")));
        p.step("forget", "Docker in the install state", c -> c.state().set(InstallState.DOCKER, null));
    }

    /** --purge: the installer's directories (those it created go entirely; those that existed get their mode back). */
    private void directories(InstallContext ctx, PhasePlan p) {
        InstallState st = ctx.state();
        TargetRoot root = ctx.root();
        for (String b : st.backups()) {
            if (root.exists(b))
                p.step("remove", root.show(b) + " (backup)", c -> c.root().delete(b));
        }
        if (!st.backups().isEmpty())
            p.step("forget", "the backups", c -> c.state().forgetBackups());
        if (o.purge()) {
            List<String> dirs = new ArrayList<>(st.trackedDirs());
            dirs.sort(Comparator.comparingInt((String s) -> s.length()).reversed());
            for (String d : dirs) {
                InstallState.Original orig = st.originalDir(d);
                if (!orig.existed()) {
                    p.step(
                                    "remove",
                                    root.show(d) + " and everything in it (--purge)",
                                    c -> c.root().deleteTree(d))
                            .then(c -> c.state().forgetDir(d));
                } else {
                    int mode = Modes.parse(orig.mode() == null ? "0755" : orig.mode());
                    p.step(
                                    "chmod",
                                    root.show(d) + " back to " + Modes.format(mode)
                                            + " (it existed before the install)",
                                    c -> {
                                        if (c.root().isDirectory(d)) c.root().chmod(d, mode);
                                    })
                            .then(c -> c.state().forgetDir(d));
                }
            }
            p.step("remove", root.show(InstallState.PATH) + " (the install state)", c -> {
                c.root().delete(InstallState.PATH);
                c.state().discard();
            });
        } else if (!st.trackedDirs().isEmpty()) {
            p.note("kept: " + String.join(", ", st.trackedDirs()) + " and the install state (--purge removes them)");
        }
        List<String> created = new ArrayList<>(st.createdDirs());
        if (!o.purge()) created.removeAll(st.trackedDirs());
        created.sort(Comparator.comparingInt((String s) -> s.length()).reversed());
        if (!created.isEmpty()) {
            p.step("rmdir", "the now empty folders the install created (" + created.size() + " recorded)", c -> {
                for (String d : created) {
                    if (!c.root().exists(d) || c.root().rmdirIfEmpty(d))
                        c.state().forgetCreatedDir(d);
                }
            });
        }
    }
}
