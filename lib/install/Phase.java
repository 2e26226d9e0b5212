package lib.install;

/**
 * One step of the install. {@link #validate} reads every input the phase will need (config files, secret
 * files, daemon.json) before any phase changes anything, so bad input stops the run with nothing written.
 * {@link #plan} works out what would change without changing it; the installer then applies the plan's
 * actions in order and calls {@link #applied}. A phase whose plan has no actions is "unchanged".
 */
public interface Phase {
    /** Short id: preflight, docker, system, overlays, swarm, telemetry, completion, registration, verification. */
    String id();

    String title();

    default void validate(InstallContext ctx) {}

    PhasePlan plan(InstallContext ctx);

    /** After the actions ran: record what the state should remember. */
    default void applied(InstallContext ctx, PhasePlan plan) {}
}
