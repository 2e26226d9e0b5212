package lib.install;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lib.cli.Log;
import lib.config.Codex;
import lib.config.Settings;
import lib.mgmt.MgmtClient;
import lib.secret.Secret;
import lib.swarm.AddressSelector;
import lib.swarm.JoinOptions;
import lib.swarm.JoinToken;
import lib.swarm.Joiner;
import lib.swarm.Leave;
import lib.swarm.LeftMarker;
import lib.swarm.ManagerAddress;
import lib.swarm.ManagerCandidate;
import lib.swarm.MgmtManagers;
import lib.swarm.Outcome;
import lib.swarm.SwarmState;

/**
 * The swarm phase's way into lib/swarm: the same {@link Joiner} swarm_join.java runs (probes, address choice,
 * idempotency, the token in the Engine API request body only), with swarm_join's defaults and the managers
 * of SWARM_MANAGER_IP, codex.yaml or the management node. Its dry run tells whether a join is needed; the
 * uninstall leaves through {@link Leave}. Nothing here talks to Docker itself.
 */
public final class SwarmEnrolment {
    /** What {@link #check} found: whether a join is needed, and one line for the plan. */
    public record Check(boolean joinNeeded, String summary) {}

    private SwarmEnrolment() {}

    private static Optional<Secret> token(Settings settings) {
        return settings.swarmJoinToken(null);
    }

    /** True when managers and a join token are configured; otherwise the phase is skipped with {@link #whyNot}. */
    public static boolean configured(Settings settings) {
        return token(settings).isPresent()
                && (!settings.swarmManagers().isEmpty() || settings.mgmtUrl().isPresent());
    }

    public static String whyNot(Settings settings) {
        if (token(settings).isEmpty()) return "no join token (SWARM_JOIN_TOKEN_FILE or SWARM_JOIN_TOKEN)";
        return "no manager (SWARM_MANAGER_IP, capabilities.swarm.managers or a management node)";
    }

    private static Joiner joiner(InstallContext ctx, boolean dryRun) {
        Settings settings = ctx.settings();
        List<ManagerCandidate> managers = new ArrayList<>();
        Settings.Value<List<String>> given = settings.swarmManagers(List.of());
        for (String m : given.value())
            managers.add(ManagerCandidate.of(ManagerAddress.parse(m, given.from()), given.from()));
        Optional<MgmtManagers.Answer> answer = Optional.empty();
        if (managers.isEmpty()) {
            MgmtClient mgmt = MgmtClient.fromSettings(settings).orElseThrow();
            MgmtManagers.Fetched f = MgmtManagers.fetch(mgmt);
            managers.addAll(f.managers());
            answer = Optional.of(f.answer());
            Log.info("managers from the management node " + mgmt.base() + ": "
                    + f.managers().size());
        }
        Codex.Swarm sw = settings.codex().capabilities().swarm();
        JoinOptions o = new JoinOptions(
                settings.swarmRole(),
                managers,
                JoinToken.parse(token(settings).orElseThrow()),
                null,
                null,
                "0.0.0.0:2377",
                sw.probeTimeout(),
                sw.joinTimeout(),
                false,
                false,
                sw.networks(),
                null,
                dryRun,
                answer,
                marker(ctx));
        return new Joiner(ctx.docker(), AddressSelector.system(), o);
    }

    private static LeftMarker marker(InstallContext ctx) {
        return new LeftMarker(ctx.root().resolve(LeftMarker.DEFAULT_DIR.toString()));
    }

    /** Changes nothing: is this node already in the swarm with the wanted role? */
    public static Check check(InstallContext ctx) {
        // the dry run only decides; its progress lines would show twice (the join prints its own)
        Log.Level level = Log.level();
        if (level == Log.Level.NORMAL) Log.configure(Log.Level.QUIET);
        Outcome o;
        try {
            o = joiner(ctx, true).run();
        } finally {
            Log.configure(level);
        }
        JsonNode plan = o.json().path("plan");
        if (plan.isEmpty()) return new Check(false, o.text());
        List<String> steps = new ArrayList<>();
        plan.forEach(s -> steps.add(s.path("description").asText()));
        return new Check(true, String.join("; ", steps));
    }

    /** Joins; returns one line for the summary. */
    public static String join(InstallContext ctx) {
        Outcome o = joiner(ctx, false).run();
        Log.ok(o.text());
        return o.text();
    }

    /** Leaves the swarm (uninstall --leave-swarm); returns one line. */
    public static String leave(InstallContext ctx) {
        Outcome o = Leave.run(ctx.docker(), false, false, false, marker(ctx));
        Log.ok(o.text());
        return o.text();
    }

    /** Whether the node is an active swarm member now (verification). */
    public static String verify(InstallContext ctx) {
        return SwarmState.read(ctx.docker()).describe();
    }
}
