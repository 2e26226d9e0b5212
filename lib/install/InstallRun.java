package lib.install;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import lib.cli.ExitCode;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.config.Settings;
import lib.docker.DockerClient;
import lib.host.HostFacts;
import lib.json.Json;
import lib.overlay.OverlaySettings;
import lib.proc.ProcessRunner;

/**
 * One run of install.java (install or --uninstall), from parsed flags to exit code: builds the context and
 * the phases, asks for confirmation on a terminal (unless --yes), runs them, prints the plan (dry run), the
 * summary and the verification table, or all of it as JSON.
 *
 * @param uninstall null for an install
 * @param console the terminal that is asked for confirmation; null: no question (no terminal, tests)
 * @param verifyOnly install.java --verify: only the verification checks and the security audit, read-only
 *     (nothing is written)
 */
public record InstallRun(
        Settings settings,
        HostFacts facts,
        TargetRoot root,
        Path live,
        InstallOptions options,
        Uninstaller.Options uninstall,
        boolean json,
        boolean yes,
        Map<String, String> env,
        OverlaySettings overlays,
        Clock clock,
        Console console,
        boolean verifyOnly) {

    /** Not the components: the environment may hold secrets (API_TOKEN, TAILSCALE_AUTH_KEY ...). */
    @Override
    public String toString() {
        return "InstallRun(root " + root + (uninstall != null ? ", uninstall" : "") + ")";
    }

    InstallContext context(boolean dryRun) {
        return new InstallContext(
                root,
                live,
                settings,
                facts,
                new ProcessRunner(),
                DockerClient.fromEnv(env),
                InstallState.load(root),
                options.withDryRun(dryRun),
                env,
                clock,
                new InstallContext.Decided());
    }

    List<Phase> phases(InstallContext ctx) {
        if (uninstall != null) return Uninstaller.phases(uninstall);
        List<Phase> p = new ArrayList<>();
        p.add(new Preflight());
        p.add(new DockerPhase());
        p.add(new SystemSettingsPhase(overlays));
        p.add(new OverlayPhase(overlays));
        p.add(new SwarmPhase());
        p.add(new TelemetryPhase());
        p.add(new CompletionPhase());
        String host = hostname(live);
        p.add(new RegistrationPhase(
                RegistrationPhase.client(settings),
                host,
                c -> RegistrationPhase.primaryIpv4(OverlayPhase.addresses(c, overlays)),
                facts.dockerVersion()));
        p.add(new VerificationPhase(overlays));
        return p;
    }

    /** The kernel's host name (/proc/sys/kernel/hostname), else what Java resolves. */
    public static String hostname(Path live) {
        String h = Preflight.read(live.resolve("proc/sys/kernel/hostname"));
        if (h != null && !h.isBlank()) return h.strip();
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    public int run() {
        if (verifyOnly) return verify();
        if (uninstall != null && !options.dryRun()) {
            InstallState st = InstallState.load(root);
            if (!st.existed()) {
                Log.result(
                        json
                                ? jsonOf(null, null, null, 0, "nothing to uninstall")
                                        .toString()
                                : "Nothing to uninstall: there is no " + root.show(InstallState.PATH) + ".");
                return ExitCode.OK;
            }
        }
        if (!options.dryRun() && !yes && console != null) {
            InstallContext dry = context(true);
            Plan preview = new Installer(phases(dry)).run(dry);
            if (!preview.changesAnything()) {
                Log.info("nothing to change");
            } else {
                Log.err().println(preview.render());
                String answer = console.readLine(
                        "Apply these changes to %s? [y/N] ",
                        root.live() ? "this host" : root.dir().toString());
                if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                    Log.info("nothing changed");
                    return ExitCode.OK;
                }
            }
        }
        InstallContext ctx = context(options.dryRun());
        List<Phase> phases = phases(ctx);
        Installer installer = new Installer(phases);
        Supplier<VerificationPhase> vp = () -> phases.stream()
                .filter(x -> x instanceof VerificationPhase)
                .map(x -> (VerificationPhase) x)
                .findFirst()
                .orElse(null);
        Supplier<VerificationTable> table =
                () -> vp.get() == null ? null : vp.get().table();
        Plan plan;
        try {
            plan = installer.run(ctx);
        } catch (N0d3Exception e) {
            if (json && installer.plan() != null) {
                Log.result(jsonOf(installer.plan(), table.get(), null, e.exitCode(), e.getMessage())
                        .toString());
            } else if (installer.applied() > 0) {
                Log.err().println(installer.plan().table());
                Log.err()
                        .println(
                                installer.applied()
                                        + " actions were applied before the failure; the install state records them (run again, or --uninstall)");
            }
            throw e;
        }
        VerificationTable vt = table.get();
        VerificationTable at =
                vp.get() == null || options.dryRun() ? null : vp.get().audit();
        int code = failed(vt, at).isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
        if (json) {
            Log.result(jsonOf(plan, vt, at, code, code == 0 ? null : "verification failed")
                    .toString());
        } else if (options.dryRun()) {
            Log.result(plan.render());
        } else {
            StringBuilder sb = new StringBuilder(plan.table()).append("\n\n").append(plan.summaryLine());
            if (vt != null && !vt.rows().isEmpty()) sb.append("\n\n").append(vt.render());
            if (at != null && !at.rows().isEmpty())
                sb.append("\n\nsecurity audit:\n").append(at.render());
            Log.result(sb.toString());
        }
        if (code != 0) Log.error("verification failed: " + String.join("; ", failed(vt, at)));
        return code;
    }

    /** The --verify run: the verification phase alone, nothing planned, applied or saved. */
    private int verify() {
        InstallContext ctx = context(false);
        VerificationPhase phase = new VerificationPhase(overlays).auditNetworkUnderRoot();
        phase.validate(ctx);
        phase.plan(ctx);
        List<String> failed = failed(phase.table(), phase.audit());
        int code = failed.isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
        if (json) {
            ObjectNode n = jsonOf(null, phase.table(), phase.audit(), code, code == 0 ? null : "verification failed");
            n.put("mode", "verify");
            n.remove("dry_run");
            Log.result(Json.write(n));
        } else {
            StringBuilder sb = new StringBuilder();
            if (!phase.table().rows().isEmpty())
                sb.append(phase.table().render()).append("\n\n");
            sb.append("security audit:\n").append(phase.audit().render());
            Log.result(sb.toString());
        }
        if (code != 0) Log.error("verification failed: " + String.join("; ", failed));
        return code;
    }

    /** "name: detail" of every failed row. */
    static List<String> failed(VerificationTable... tables) {
        List<String> out = new ArrayList<>();
        for (VerificationTable t : tables) {
            if (t == null) continue;
            t.rows().stream()
                    .filter(r -> r.result() == VerificationTable.Result.FAIL)
                    .forEach(r -> out.add(r.name() + ": " + r.detail()));
        }
        return out;
    }

    private ObjectNode jsonOf(Plan plan, VerificationTable vt, VerificationTable audit, int code, String error) {
        ObjectNode n = plan == null ? Json.object() : plan.toJson();
        n.put("mode", uninstall == null ? "install" : "uninstall");
        if (plan == null) {
            n.put("root", root.live() ? "/" : root.dir().toString());
            n.put("dry_run", options.dryRun());
        }
        if (vt != null) n.set("verification", vt.toJson());
        if (audit != null) n.set("audit", audit.toJson());
        n.put("exit_code", code);
        if (error != null) n.put("error", error);
        return n;
    }
}
