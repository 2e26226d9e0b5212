package lib.swarm;

/**
 * Raft arithmetic for a manager that wants to leave. The manager is demoted first (the raft
 * membership shrinks by one), so after it is gone there are {@code total - 1} members, of which
 * {@code reachable - 1} answer. They keep quorum when a majority of the new membership answers.
 */
public record Quorum(int total, int reachable) {
    /** Majority of n members. */
    public static int majority(int n) {
        return n / 2 + 1;
    }

    /** Can one reachable manager leave without the remaining managers losing quorum? */
    public boolean leaveKeepsQuorum() {
        int after = total - 1;
        return after >= 1 && reachable - 1 >= majority(after);
    }

    /** How many managers may fail now before the swarm stops accepting changes. */
    public int faultTolerance() {
        return Math.max(0, reachable - majority(total));
    }

    public String describe() {
        return total + " manager" + (total == 1 ? "" : "s") + ", " + reachable + " reachable, quorum "
                + majority(total);
    }

    /** Why leaving would break the swarm, for the refusal message. */
    public String leaveProblem() {
        if (total <= 1) return "this is the last manager: leaving destroys the swarm's state";
        return "after this manager leaves, " + (reachable - 1) + " of " + (total - 1)
                + " managers would be reachable, below the quorum of " + majority(total - 1);
    }
}
