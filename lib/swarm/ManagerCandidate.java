package lib.swarm;

/**
 * A manager to try, with where it came from and, when the management node said so, whether it is
 * the raft leader and how reachable the swarm sees it ("reachable", "unreachable", "unknown").
 */
public record ManagerCandidate(ManagerAddress address, String source, boolean leader, String reachability) {
    public static ManagerCandidate of(ManagerAddress address, String source) {
        return new ManagerCandidate(address, source, false, "unknown");
    }

    /** 0 reachable, 1 unknown, 2 unreachable: the first key of the try order. */
    int reachabilityRank() {
        return switch (reachability == null ? "unknown" : reachability) {
            case "reachable" -> 0;
            case "unreachable", "down" -> 2;
            default -> 1;
        };
    }
}
