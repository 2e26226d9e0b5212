package lib.swarm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order managers are tried in. Rules, in this order:
 * <ol>
 * <li>duplicates go (same host and port; the first mention wins, so its source is the one shown);</li>
 * <li>this host's own addresses go (a node cannot join through itself), reported as skipped;</li>
 * <li>managers the swarm reports reachable come first, unknown next, unreachable last;</li>
 * <li>among equals the raft leader comes first;</li>
 * <li>otherwise the order given is kept (the operator's order is a preference).</li>
 * </ol>
 */
public final class ManagerOrder {
    private ManagerOrder() {}

    public record Ordered(List<ManagerCandidate> tryOrder, List<ManagerCandidate> skippedSelf) {}

    public static Ordered order(List<ManagerCandidate> given, Set<String> ownHosts) {
        Map<String, ManagerCandidate> unique = new LinkedHashMap<>();
        for (ManagerCandidate c : given) unique.putIfAbsent(c.address().toString(), c);
        List<ManagerCandidate> keep = new ArrayList<>();
        List<ManagerCandidate> self = new ArrayList<>();
        for (ManagerCandidate c : unique.values()) {
            (ownHosts.contains(c.address().host()) ? self : keep).add(c);
        }
        keep.sort(Comparator.comparingInt(ManagerCandidate::reachabilityRank).thenComparing(c -> !c.leader()));
        return new Ordered(List.copyOf(keep), List.copyOf(self));
    }
}
