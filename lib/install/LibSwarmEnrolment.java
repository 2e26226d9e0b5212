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
 * The swarm phase through lib/swarm: the same {@link Joiner} swarm_join.java runs (probes, address choice,
 * idempotency, the token in the Engine API request body only), with swarm_join's defaults and the managers
 * of SWARM_MANAGER_IP, codex.yaml or the management node. Its dry run tells whether a join is needed.
 */
public final class LibSwarmEnrolment implements SwarmEnrolment {
    private final Settings settings;

    public LibSwarmEnrolment(Settings settings) {
        this.settings = settings;
    }

    private Optional<Secret> token() {
        return settings.swarmJoinToken(null);
    }

    @Override
    public boolean configured(InstallContext ctx) {
        return token().isPresent() && (!settings.swarmManagers().isEmpty() || settings.mgmtUrl().isPresent());
    }

    @Override
    public String whyNot(InstallContext ctx) {
        if (token().isEmpty()) return "no join token (SWARM_JOIN_TOKEN_FILE or SWARM_JOIN_TOKEN)";
        return "no manager (SWARM_MANAGER_IP, capabilities.swarm.managers or a management node)";
    }

    private Joiner joiner(InstallContext ctx, boolean dryRun) {
        List<ManagerCandidate> managers = new ArrayList<>();
        Settings.Value<List<String>> given = settings.swarmManagers(List.of());
        for (String m : given.value()) managers.add(ManagerCandidate.of(ManagerAddress.parse(m, given.from()), given.from()));
        Optional<MgmtManagers.Answer> answer = Optional.empty();
        if (managers.isEmpty()) {
            MgmtClient mgmt = MgmtClient.fromSettings(settings).orElseThrow();
            MgmtManagers.Fetched f = MgmtManagers.fetch(mgmt);
            managers.addAll(f.managers());
            answer = Optional.of(f.answer());
            Log.info("managers from the management node " + mgmt.base() + ": " + f.managers().size());
        }
        Codex.Swarm sw = settings.codex().capabilities().swarm();
        JoinOptions o = new JoinOptions(settings.swarmRole(), managers, JoinToken.parse(token().orElseThrow()), null, null, "0.0.0.0:2377",
                sw.probeTimeout(), sw.joinTimeout(), false, false, sw.networks(), null, dryRun, answer, marker(ctx));
        return new Joiner(ctx.docker(), AddressSelector.system(), o);
    }

    private static LeftMarker marker(InstallContext ctx) {
        return new LeftMarker(ctx.root().resolve(LeftMarker.DEFAULT_DIR.toString()));
    }

    @Override
    public Check check(InstallContext ctx) {
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

    @Override
    public String join(InstallContext ctx) {
        Outcome o = joiner(ctx, false).run();
        Log.ok(o.text());
        return o.text();
    }

    @Override
    public String leave(InstallContext ctx) {
        Outcome o = Leave.run(ctx.docker(), false, false, false, marker(ctx));
        Log.ok(o.text());
        return o.text();
    }

    @Override
    public String verify(InstallContext ctx) {
        return SwarmState.read(ctx.docker()).describe();
    }
}
