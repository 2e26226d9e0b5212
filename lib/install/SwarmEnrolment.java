package lib.install;

/**
 * The seam to lib/swarm's join logic (issue 3): the installer asks it what a join would do, has it join,
 * and (on --uninstall --leave-swarm) leave. Nothing here talks to Docker itself.
 */
public interface SwarmEnrolment {
    /** What {@link #check} found: whether a join is needed, one line for the plan, and the state to keep. */
    record Check(boolean joinNeeded, String summary) {}

    /** True when managers and a join token are configured; otherwise the phase is skipped with {@link #whyNot}. */
    boolean configured(InstallContext ctx);

    String whyNot(InstallContext ctx);

    /** Changes nothing: is this node already in the swarm with the wanted role? */
    Check check(InstallContext ctx);

    /** Joins; returns one line for the summary. */
    String join(InstallContext ctx);

    /** Leaves the swarm (uninstall --leave-swarm); returns one line. */
    String leave(InstallContext ctx);

    /** Whether the node is an active swarm member now (verification). */
    String verify(InstallContext ctx);
}
