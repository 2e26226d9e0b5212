package lib.install;

import java.util.List;
import lib.cli.Log;

/**
 * Runs phases in order: every phase validates its inputs first (so bad input stops the run before anything
 * is written), then each phase is planned and, unless this is a dry run, applied at once (a later phase
 * plans against what the earlier ones did). The install state is saved after every phase, so an install
 * that stops half-way can still be undone by --uninstall.
 */
public final class Installer {
    private final List<Phase> phases;
    private Plan plan;
    private int applied;

    public Installer(List<Phase> phases) {
        this.phases = phases;
    }

    /** The plan so far (also after a failure: the failed phase is marked FAILED). */
    public Plan plan() {
        return plan;
    }

    /** How many actions were applied (0 after a failure means nothing was changed). */
    public int applied() {
        return applied;
    }

    public Plan run(InstallContext ctx) {
        plan = new Plan(ctx.root().live() ? "/" : ctx.root().dir().toString(), ctx.dryRun());
        for (Phase ph : phases) ph.validate(ctx);
        int i = 0;
        for (Phase ph : phases) {
            i++;
            PhasePlan pp = new PhasePlan(ph.id(), ph.title());
            try {
                pp = ph.plan(ctx);
                plan.add(pp);
                if (ctx.dryRun()) continue;
                Log.info("==> [" + i + "/" + phases.size() + "] " + pp.title()
                        + (pp.isSkipped()
                                ? ": skipped (" + pp.skipReason() + ")"
                                : pp.hasChanges()
                                        ? " (" + pp.actions().size()
                                                + (pp.actions().size() == 1 ? " action)" : " actions)")
                                        : ": unchanged"));
                pp.notes().forEach(n -> Log.debug(n));
                try {
                    pp.steps().run(ctx, a -> {
                        Log.info(Plan.INDENT + a.line());
                        if (!a.detail().isEmpty()) Log.debug(a.detail());
                    });
                } finally {
                    applied += pp.steps().done();
                }
                ph.applied(ctx, pp);
                for (String w : pp.warnings()) Log.warn(pp.id() + ": " + w);
            } catch (RuntimeException e) {
                if (!plan.phases().contains(pp)) plan.add(pp);
                pp.status(PhasePlan.Status.FAILED);
                if (!ctx.dryRun()) ctx.state().save(ctx.root(), ctx.now());
                throw e;
            }
            ctx.state().save(ctx.root(), ctx.now());
        }
        return plan;
    }
}
