package lib.install;

/**
 * Phase 5: swarm membership through lib/swarm ({@link SwarmEnrolment}), when capabilities.swarm is enabled
 * and a manager and a token are configured. Already a member with the wanted role: unchanged.
 */
public final class SwarmPhase extends Phase {
    public SwarmPhase() {
        super("swarm", "Docker Swarm membership");
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        if (!Boolean.TRUE.equals(ctx.settings().codex().capabilities().swarm().enabled()))
            return p.skip("capabilities.swarm.enabled is false");
        if (!SwarmEnrolment.configured(ctx.settings())) return p.skip(SwarmEnrolment.whyNot(ctx.settings()));
        if (!ctx.dockerExpected()) return p.skip("Docker is not running");
        if (ctx.dryRun() && !ctx.docker().ping()) {
            p.step(
                    "join",
                    "join the swarm (" + String.join(", ", ctx.settings().swarmManagers()) + ") once Docker runs",
                    c -> {});
            return p;
        }
        SwarmEnrolment.Check c = SwarmEnrolment.check(ctx);
        if (!c.joinNeeded()) {
            p.note(c.summary());
            return p;
        }
        p.step("join", c.summary(), x -> p.note(SwarmEnrolment.join(x)))
                .then(x -> x.state().set(InstallState.SWARM, new InstallState.Swarm(true)));
        return p;
    }
}
