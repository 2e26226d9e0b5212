package lib.install;

/**
 * One step of the install. {@link #validate} reads every input the phase will need (config files, secret
 * files, daemon.json) before any phase changes anything, so bad input stops the run with nothing written.
 * {@link #plan} works out what would change without changing it; the installer then applies the plan's
 * actions in order and calls {@link #applied}. A phase whose plan has no actions is "unchanged".
 */
public abstract class Phase {
    private final String id;
    private final String title;

    /**
     * @param id    short: preflight, docker, system, overlays, swarm, telemetry, completion, registration, verification
     * @param title the heading of its part of the plan
     */
    protected Phase(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public final String id() {
        return id;
    }

    public final String title() {
        return title;
    }

    public void validate(InstallContext ctx) {}

    public abstract PhasePlan plan(InstallContext ctx);

    /** After the actions ran: record what the state should remember. */
    public void applied(InstallContext ctx, PhasePlan plan) {}

    /** What a phase made by {@link #of} does: fills the phase's plan. */
    public interface Planner {
        void plan(InstallContext ctx, PhasePlan p);
    }

    /** A phase with nothing to validate and nothing to record afterwards, whose plan {@code planner} fills. */
    public static Phase of(String id, String title, Planner planner) {
        return new Phase(id, title) {
            @Override
            public PhasePlan plan(InstallContext ctx) {
                PhasePlan p = newPlan();
                planner.plan(ctx, p);
                return p;
            }
        };
    }

    /** An empty plan under this phase's id and title. */
    protected final PhasePlan newPlan() {
        return new PhasePlan(id, title);
    }
}
