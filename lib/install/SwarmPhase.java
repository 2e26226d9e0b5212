package lib.install;

import java.util.Optional;

/**
 * Phase 5: swarm membership through lib/swarm ({@link SwarmEnrolment}), when capabilities.swarm is enabled
 * and a manager and a token are configured. Already a member with the wanted role: unchanged.
 */
public final class SwarmPhase extends Phase {
    private final Optional<SwarmEnrolment> swarm;

    public SwarmPhase(Optional<SwarmEnrolment> swarm) {
        super("swarm", "Docker Swarm membership");
        this.swarm = swarm;
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        if (!Boolean.TRUE.equals(ctx.settings().codex().capabilities().swarm().enabled())) return p.skip("capabilities.swarm.enabled is false");
        if (swarm.isEmpty()) return p.skip("the swarm join logic (lib/swarm) is not part of this build");
        SwarmEnrolment s = swarm.get();
        if (!s.configured(ctx)) return p.skip(s.whyNot(ctx));
        if (!ctx.dockerExpected()) return p.skip("Docker is not running");
        if (ctx.dryRun() && !ctx.docker().ping()) {
            p.step("join", "join the swarm (" + String.join(", ", ctx.settings().swarmManagers()) + ") once Docker runs", c -> {});
            return p;
        }
        SwarmEnrolment.Check c = s.check(ctx);
        if (!c.joinNeeded()) {
            p.note(c.summary());
            return p;
        }
        p.step("join", c.summary(), x -> p.note(s.join(x))).then(x -> x.state().put("swarm", "joined_by_install", true));
        return p;
    }
}
