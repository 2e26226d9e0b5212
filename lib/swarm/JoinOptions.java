package lib.swarm;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import lib.config.Codex;

/**
 * Everything a join needs, resolved from flags, environment and codex.yaml by the script.
 *
 * @param role "worker" or "manager": the role the token is expected to give
 * @param managers candidate managers, in the order given, with their source
 * @param token the join token (may be null only for --check)
 * @param advertiseSpec --advertise-addr (IP or interface name), null for the default
 * @param dataPathSpec --data-path-addr, null for the advertise address
 * @param listenAddr ListenAddr of the join (default 0.0.0.0:2377)
 * @param forceLeave leave another swarm to join this one
 * @param breakQuorum allow a leave that breaks the old swarm's quorum
 * @param networks overlay networks a manager ensures
 * @param mtu --mtu, the container MTU of the networks, or null
 * @param mgmtAnswer the management node's answer, when one was fetched (clock skew)
 * @param marker the deliberate-leave marker, cleared by a successful join
 */
public record JoinOptions(
        String role,
        List<ManagerCandidate> managers,
        JoinToken token,
        String advertiseSpec,
        String dataPathSpec,
        String listenAddr,
        Duration probeTimeout,
        Duration joinTimeout,
        boolean forceLeave,
        boolean breakQuorum,
        List<Codex.OverlayNetwork> networks,
        Integer mtu,
        boolean dryRun,
        Optional<MgmtManagers.Answer> mgmtAnswer,
        LeftMarker marker) {}
