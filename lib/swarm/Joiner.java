package lib.swarm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import lib.cli.ExitCode;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.config.Codex;
import lib.docker.DockerApiException;
import lib.docker.DockerClient;
import lib.json.Json;
import lib.plan.Step;
import lib.plan.Steps;

/**
 * The join state machine. From this node's state (GET /info) and the token's swarm:
 * <ul>
 * <li>active in the token's swarm with the requested role: no change (a manager still ensures its networks);</li>
 * <li>active in the token's swarm with the other role: exit 3, printing the promote/demote command;</li>
 * <li>active in another swarm: exit 3, unless --force-leave (then leave, quorum permitting, and join);</li>
 * <li>pending or error: leave with force and rejoin, saying so; locked: exit 3;</li>
 * <li>inactive: join.</li>
 * </ul>
 * Managers are probed at once and tried in order; the first that is reachable and passes the
 * preflight gets the join (POST /swarm/join, the token in the body only). A refused token stops at
 * once (exit 1); an unreachable or timed-out manager is put back (the node is reset to inactive) and
 * the next is tried. Nothing is left before a manager of the new swarm has answered.
 */
public final class Joiner {
    private final DockerClient docker;
    private final AddressSelector selector;
    private final JoinOptions o;
    /** The managers that did not take the join, in the order tried. */
    private final List<Failure> failures = new ArrayList<>();
    /** This node has left its old swarm (once, before the first join attempt that needs it). */
    private boolean left;
    /** The node's state once a join went through. */
    private SwarmState joined;

    public Joiner(DockerClient docker, AddressSelector selector, JoinOptions options) {
        this.docker = docker;
        this.selector = selector;
        this.o = options;
    }

    public Outcome run() {
        long t0 = System.nanoTime();
        Preflight.Results checks = new Preflight.Results();
        if (checks.add(Preflight.docker(docker)).failed())
            throw N0d3Exception.failure(checks.failures().get(0).detail());
        SwarmState st = SwarmState.read(docker);
        Log.info("node: " + st.describe());
        JoinToken token = o.token();
        String leaveWhy = null;
        switch (st.localState()) {
            case SwarmState.LOCKED ->
                throw N0d3Exception.unexpectedState(
                        "this node's swarm is locked (autolock): unlock it with 'docker swarm unlock' first");
            case SwarmState.ACTIVE -> {
                if (st.caDigest() == null) {
                    throw N0d3Exception.unexpectedState("this node is in a swarm but its root CA could not be read ("
                            + st.caDigestSource() + "): cannot tell whether it is the token's swarm");
                }
                if (st.caDigest().equals(token.caDigest())) {
                    if (st.role().equals(o.role())) return converged(st, checks, t0);
                    throw N0d3Exception.unexpectedState(roleMismatch(st));
                }
                if (!o.forceLeave()) {
                    throw N0d3Exception.unexpectedState(
                            "this node is an active " + st.role() + " of another swarm (CA digest " + st.shortDigest()
                                    + ", node " + st.nodeId() + "); the token is for swarm " + token.shortDigest()
                                    + ": refusing to leave it. Re-run with --force-leave to move the node");
                }
                if (st.manager()) Leave.checkQuorum(docker, o.breakQuorum());
                leaveWhy = "leave swarm " + st.shortDigest() + " (node " + st.nodeId() + ", " + st.role()
                        + ") to move to swarm " + token.shortDigest() + " (--force-leave)";
            }
            case SwarmState.PENDING, SwarmState.ERROR ->
                leaveWhy = "leave with force: the node is " + st.localState()
                        + (st.error().isEmpty() ? "" : " (" + st.error() + ")") + ", then rejoin";
            default -> {}
        }
        if (leaveWhy != null) Log.info("plan: " + leaveWhy);

        if (o.managers().isEmpty()) {
            throw N0d3Exception.usage(
                    "no manager address: give --manager, SWARM_MANAGER_IP, capabilities.swarm.managers in codex.yaml, "
                            + "or configure a management node (MGMT_NODE_URL)");
        }
        ManagerOrder.Ordered order = ManagerOrder.order(o.managers(), selector.ownHosts());
        for (ManagerCandidate c : order.skippedSelf())
            Log.info("manager " + c.address() + ": skipped, it is this host");
        if (order.tryOrder().isEmpty())
            throw N0d3Exception.usage("every manager address given is this host's own: give another manager");
        Log.info("managers to try: "
                + order.tryOrder().stream()
                        .map(c -> c.address() + " (" + c.source() + ")")
                        .collect(Collectors.joining(", ")));
        checks.add(Preflight.clock(o.mgmtAnswer()));

        Probe.Round round = new Probe.Round(order.tryOrder(), null, o.probeTimeout());
        while (round.hasNext()) {
            ManagerCandidate cand = round.peek();
            Probe.Result r = round.next();
            if (!r.ok()) {
                fail(cand, r.reason());
                continue;
            }
            Log.info("manager " + cand.address() + ": " + r.describe());
            InetAddress mgr = resolve(cand.address());
            AddressSelector.Selection adv = selector.select(o.advertiseSpec(), "--advertise-addr", mgr);
            AddressSelector.Selection data =
                    o.dataPathSpec() == null ? adv : selector.select(o.dataPathSpec(), "--data-path-addr", mgr);
            Log.info("advertise " + adv.ip() + " (" + adv.reason() + ")"
                    + (o.dataPathSpec() == null
                            ? ", data path the same"
                            : ", data path " + data.ip() + " (" + data.reason() + ")"));
            List<Preflight.Check> path = Preflight.manager(cand.address(), adv, o.probeTimeout());
            path.forEach(checks::add);
            checks.add(Preflight.mtu(data));
            List<Preflight.Check> bad =
                    path.stream().filter(Preflight.Check::failed).toList();
            if (!bad.isEmpty()) {
                fail(
                        cand,
                        "preflight: "
                                + bad.stream().map(Preflight.Check::detail).collect(Collectors.joining("; ")));
                continue;
            }
            List<OverlayNetworks.Item> networks = new ArrayList<>();
            Steps<Void> steps = joinSteps(st, leaveWhy, cand, adv, data, networks);
            if (o.dryRun()) return plan(st, steps, checks);
            try {
                steps.run(null, s -> Log.debug(s.line()));
            } catch (NextManager e) {
                continue;
            }
            return joined(st, cand, adv, data, networks, checks, t0);
        }
        throw N0d3Exception.failure(
                "no manager accepted the join" + (left ? " (this node has left its old swarm and is now in none)" : "")
                        + ": " + failures.stream().map(Failure::line).collect(Collectors.joining("; ")));
    }

    /**
     * --check: the preflight alone. Docker, the node's state against the token's swarm (when a token
     * is given), the managers' 2377/tcp, then for the first reachable one the address choice, 2377 and
     * 7946 from that address, the MTU and the clock. Exit 1 when a check fails.
     */
    public Outcome check() {
        long t0 = System.nanoTime();
        Preflight.Results checks = new Preflight.Results(false);
        checks.add(Preflight.docker(docker));
        SwarmState st = SwarmState.read(docker);
        checks.add(new Preflight.Check("node", "ok", st.describe()));
        JoinToken token = o.token();
        if (token == null) {
            checks.add(
                    new Preflight.Check(
                            "token",
                            "warn",
                            "no join token found (--token-file, SWARM_JOIN_TOKEN_FILE, SWARM_JOIN_TOKEN, --token-stdin): a join needs one"));
        } else {
            checks.add(new Preflight.Check(
                    "token", "ok", "from " + token.secret().source() + ", for swarm " + token.shortDigest()));
            if (st.active() && st.caDigest() != null && !st.caDigest().equals(token.caDigest())) {
                checks.add(new Preflight.Check(
                        "swarm",
                        "warn",
                        "this node is in another swarm (" + st.shortDigest() + "): a join needs --force-leave"));
            } else if (st.active() && st.caDigest() != null) {
                checks.add(new Preflight.Check("swarm", "ok", "already in the token's swarm as " + st.role()));
            }
        }
        ManagerOrder.Ordered order = ManagerOrder.order(o.managers(), selector.ownHosts());
        if (order.tryOrder().isEmpty()) {
            checks.add(new Preflight.Check(
                    "managers",
                    "fail",
                    "no manager address (--manager, SWARM_MANAGER_IP, codex.yaml, management node)"));
        } else {
            Probe.Round round = new Probe.Round(order.tryOrder(), null, o.probeTimeout());
            boolean found = false;
            while (round.hasNext() && !found) {
                ManagerCandidate cand = round.peek();
                Probe.Result r = round.next();
                if (!r.ok()) {
                    checks.add(new Preflight.Check(
                            "manager-" + cand.address().port(),
                            "fail",
                            cand.address() + " (" + cand.source() + "): " + r.reason()));
                    continue;
                }
                found = true;
                try {
                    InetAddress mgr = resolve(cand.address());
                    AddressSelector.Selection adv = selector.select(o.advertiseSpec(), "--advertise-addr", mgr);
                    AddressSelector.Selection data =
                            o.dataPathSpec() == null ? adv : selector.select(o.dataPathSpec(), "--data-path-addr", mgr);
                    checks.add(new Preflight.Check(
                            "address",
                            "ok",
                            "advertise " + adv.ip() + " (" + adv.reason() + ")"
                                    + (o.dataPathSpec() == null
                                            ? ""
                                            : ", data path " + data.ip() + " (" + data.reason() + ")")));
                    Preflight.manager(cand.address(), adv, o.probeTimeout()).forEach(checks::add);
                    checks.add(Preflight.mtu(data));
                } catch (N0d3Exception e) {
                    checks.add(new Preflight.Check("address", "fail", e.getMessage()));
                }
            }
        }
        checks.add(Preflight.clock(o.mgmtAnswer()));
        boolean failed = !checks.failures().isEmpty();
        ObjectNode j = base("checked", false, st, checks, t0);
        j.put("ok", !failed);
        StringBuilder text = new StringBuilder();
        for (Preflight.Check c : checks.all()) text.append(c.line()).append('\n');
        text.append(failed ? checks.failures().size() + " check(s) failed" : "all checks passed");
        return new Outcome(failed ? ExitCode.FAILURE : ExitCode.OK, text.toString(), j);
    }

    /**
     * What a join through this manager does, in order: leave the old swarm (when the node must), join, and
     * for a manager each of its networks. --dry-run prints these steps; a real run executes them, and a join
     * this manager does not accept ends them with {@link NextManager}. {@code networks} gets what each network
     * step found or created.
     */
    private Steps<Void> joinSteps(
            SwarmState st,
            String leaveWhy,
            ManagerCandidate cand,
            AddressSelector.Selection adv,
            AddressSelector.Selection data,
            List<OverlayNetworks.Item> networks) {
        Steps<Void> steps = new Steps<>();
        if (leaveWhy != null && !left) {
            steps.add(Step.of("leave", leaveWhy, c -> {
                Log.info(leaveWhy);
                Leave.leave(docker, st);
                left = true;
            }));
        }
        steps.add(Step.<Void>of(
                        "join",
                        "join swarm " + o.token().shortDigest() + " as " + o.role() + " through " + cand.address()
                                + ": POST /v" + DockerClient.API_VERSION + "/swarm/join ListenAddr " + o.listenAddr()
                                + ", AdvertiseAddr " + adv.ip()
                                + ", DataPathAddr " + (o.dataPathSpec() == null ? "(same)" : data.ip())
                                + ", RemoteAddrs [" + cand.address() + "], JoinToken from "
                                + o.token().secret().source(),
                        c -> {
                            if (!join(cand, adv, data)) throw new NextManager();
                            joined = roleChecked();
                        })
                .fact("manager", cand.address().toString())
                .fact("advertise_addr", adv.ip())
                .fact("role", o.role()));
        if (o.role().equals("manager")) {
            String underlay = data.iface() == null ? "" : data.iface().name();
            List<OverlayNetworks.Item> planned =
                    OverlayNetworks.plan(null, o.networks(), o.mtu(), data.mtu(), underlay);
            for (int i = 0; i < planned.size(); i++) {
                Codex.OverlayNetwork wanted = o.networks().get(i);
                steps.add(Step.<Void>of(
                                "create-network",
                                "ensure network " + planned.get(i).describe(),
                                c -> {
                                    if (joined.manager())
                                        networks.add(ensure(OverlayNetworks.plan(
                                                        docker, List.of(wanted), o.mtu(), data.mtu(), underlay)
                                                .get(0)));
                                })
                        .fact("name", planned.get(i).name()));
            }
        }
        return steps;
    }

    /** The join through this manager did not work out (the reason is recorded): try the next. */
    private static final class NextManager extends RuntimeException {
        NextManager() {
            super(null, null, false, false);
        }
    }

    /** One join attempt; false when this manager did not work out and the next should be tried. */
    private boolean join(ManagerCandidate cand, AddressSelector.Selection adv, AddressSelector.Selection data) {
        Log.info("join: as " + o.role() + " through " + cand.address() + " (POST /swarm/join, token from "
                + o.token().secret().source() + ")");
        long t = System.nanoTime();
        Waiting w = new Waiting("waiting for " + cand.address() + " to accept the join", Duration.ofSeconds(2));
        try {
            docker.swarmJoin(
                    o.listenAddr(),
                    adv.ip(),
                    o.dataPathSpec() == null ? null : data.ip(),
                    List.of(cand.address().toString()),
                    o.token().secret(),
                    o.joinTimeout());
            Log.ok("joined through " + cand.address() + " in " + (System.nanoTime() - t) / 1_000_000 + " ms");
            return true;
        } catch (DockerApiException e) {
            String why = e.status() == -2
                    ? "no answer within the join timeout of " + o.joinTimeout().toSeconds() + "s"
                    : e.getMessage();
            resetAfterFailedJoin();
            if (tokenRefused(e.getMessage())) {
                // no colon right after the source: a file named ...token followed by ": " would read as "token: value"
                // to the Redactor
                throw N0d3Exception.failure("manager " + cand.address() + " refused the join token read from "
                        + o.token().secret().source() + " (" + e.getMessage()
                        + "). The node is unchanged. Get the right token on a manager with: docker swarm join-token -q "
                        + o.role());
            }
            fail(cand, why);
            return false;
        } finally {
            w.close();
        }
    }

    static boolean tokenRefused(String dockerMessage) {
        return dockerMessage.contains("valid join token is necessary")
                || dockerMessage.contains("remote CA does not match fingerprint")
                || dockerMessage.contains("invalid join token");
    }

    /** A failed or timed-out join can leave the daemon retrying in the background ("pending"): stop that. */
    private void resetAfterFailedJoin() {
        try {
            SwarmState now = SwarmState.read(docker);
            if (!now.localState().equals(SwarmState.INACTIVE)) {
                Log.info("the daemon is " + now.localState()
                        + " after the failed join: leaving with force so the node is unchanged");
                docker.swarmLeave(true);
            }
        } catch (DockerApiException e) {
            Log.warn("could not check the node after the failed join: " + e.getMessage());
        }
    }

    private void fail(ManagerCandidate c, String reason) {
        Log.warn("manager " + c.address() + " (" + c.source() + "): " + reason);
        failures.add(new Failure(c, reason));
    }

    /** A manager that did not take the join, and why. */
    private record Failure(ManagerCandidate manager, String reason) {
        String line() {
            return manager.address() + ": " + reason;
        }
    }

    private ArrayNode failuresJson() {
        ArrayNode a = Json.array();
        for (Failure f : failures)
            a.addObject()
                    .put("addr", f.manager().address().toString())
                    .put("source", f.manager().source())
                    .put("reason", f.reason());
        return a;
    }

    private static InetAddress resolve(ManagerAddress a) {
        try {
            return InetAddress.getByName(a.host());
        } catch (UnknownHostException e) {
            throw N0d3Exception.failure("manager " + a + ": unknown host");
        }
    }

    private String roleMismatch(SwarmState st) {
        String cmd =
                o.role().equals("manager") ? "docker node promote " + st.nodeId() : "docker node demote " + st.nodeId();
        return "this node is already a " + st.role() + " of this swarm (node " + st.nodeId() + "), not a " + o.role()
                + ": a join cannot change the role. On a manager run: " + cmd;
    }

    private Outcome converged(SwarmState st, Preflight.Results checks, long t0) {
        List<OverlayNetworks.Item> nets = st.manager() ? networks(st.nodeAddr()) : List.of();
        OverlayNetworks.Item[] outcome = nets.toArray(OverlayNetworks.Item[]::new);
        Steps<Void> steps = new Steps<>();
        for (int i = 0; i < outcome.length; i++) {
            OverlayNetworks.Item n = outcome[i];
            int at = i;
            if (n.action().equals("create"))
                steps.add(Step.of("create-network", "create network " + n.describe(), c -> outcome[at] = create(n)));
        }
        if (o.dryRun()) {
            ObjectNode j = base("planned", false, st, checks, t0);
            j.set("plan", planJson(steps));
            j.set("networks", netsJson(nets));
            return new Outcome(
                    ExitCode.OK,
                    (steps.isEmpty() ? "no change: this node is already an " + st.describe() : planText(steps)),
                    j);
        }
        steps.run(null, s -> Log.debug(s.line()));
        o.marker().clear();
        nets = List.of(outcome);
        boolean created = !steps.isEmpty();
        ObjectNode j = base(created ? "networks-created" : "no-change", created, st, checks, t0);
        j.set("networks", netsJson(nets));
        String text = (created ? "networks created; " : "no change: ") + "this node is already an " + st.describe();
        return new Outcome(ExitCode.OK, text + netsText(nets), j);
    }

    /** A manager's networks against what exists, each said as found (a missing one is to be created). */
    private List<OverlayNetworks.Item> networks(String nodeAddr) {
        AddressSelector.Selection data;
        if (o.dataPathSpec() != null) data = selector.select(o.dataPathSpec(), "--data-path-addr", null);
        else data = selector.select(nodeAddr.isEmpty() ? o.advertiseSpec() : nodeAddr, "--advertise-addr", null);
        List<OverlayNetworks.Item> plan = OverlayNetworks.plan(
                docker,
                o.networks(),
                o.mtu(),
                data.mtu(),
                data.iface() == null ? "" : data.iface().name());
        for (OverlayNetworks.Item i : plan) {
            if (i.action().equals("create")) {
                if (o.dryRun()) Log.info("would create network " + i.describe());
            } else {
                ensure(i);
            }
        }
        return plan;
    }

    /** Says what a network step found; creates the network when it is missing. */
    private OverlayNetworks.Item ensure(OverlayNetworks.Item i) {
        if (i.action().equals("create")) return create(i);
        if (i.action().equals("present")) Log.info("network " + i.name() + ": present");
        else Log.warn("network " + i.name() + ": " + i.note());
        return i;
    }

    private OverlayNetworks.Item create(OverlayNetworks.Item i) {
        Log.info("create network " + i.describe());
        return OverlayNetworks.create(docker, i);
    }

    /** --dry-run of a join: the steps it would take, as text and JSON. */
    private Outcome plan(SwarmState st, Steps<Void> steps, Preflight.Results checks) {
        ObjectNode out = base("planned", false, st, checks, System.nanoTime());
        out.put("dry_run", true);
        out.set("plan", planJson(steps));
        out.set("failed_managers", failuresJson());
        return new Outcome(ExitCode.OK, planText(steps), out);
    }

    /** The plan as --dry-run prints it: its steps numbered. */
    static String planText(Steps<Void> steps) {
        return steps.isEmpty() ? "plan: nothing to do" : steps.numbered("plan (dry run: nothing was changed):");
    }

    /** The plan as --json shows it: each step's kind ("step"), summary ("description") and facts. */
    static ArrayNode planJson(Steps<Void> steps) {
        ArrayNode a = Json.array();
        for (Step<Void> s : steps) {
            ObjectNode n = a.addObject().put("step", s.kind()).put("description", s.summary());
            s.facts().forEach(n::put);
        }
        return a;
    }

    /** After the join: waits for the role, and takes the node out again when the token gave another role than asked. */
    private SwarmState roleChecked() {
        SwarmState st = awaitRole();
        if (!st.role().equals(o.role())) {
            Log.warn("joined as " + st.role() + " although " + o.role() + " was asked: the token is a " + st.role()
                    + " token; leaving again");
            Leave.leave(docker, st);
            throw N0d3Exception.usage(
                    "the join token from " + o.token().secret().source() + " is a " + st.role() + " token, but --role "
                            + o.role() + " was asked; the node was taken out again. Use 'docker swarm join-token -q "
                            + o.role() + "' on a manager");
        }
        return st;
    }

    private Outcome joined(
            SwarmState before,
            ManagerCandidate cand,
            AddressSelector.Selection adv,
            AddressSelector.Selection data,
            List<OverlayNetworks.Item> nets,
            Preflight.Results checks,
            long t0) {
        SwarmState st = joined;
        Quorum q = null;
        if (st.manager()) {
            q = Leave.quorum(docker);
            Log.info("managers: " + q.describe()
                    + (q.total() % 2 == 0 ? " (an even number adds no fault tolerance: add or remove one)" : ""));
        }
        o.marker().clear();
        String action = left ? (before.active() ? "moved" : "rejoined") : "joined";
        ObjectNode j = base(action, true, st, checks, t0);
        j.put("manager", cand.address().toString())
                .put("advertise_addr", adv.ip())
                .put("data_path_addr", data.ip());
        j.set("networks", netsJson(nets));
        j.set("failed_managers", failuresJson());
        if (q != null)
            j.putObject("quorum")
                    .put("managers", q.total())
                    .put("reachable", q.reachable())
                    .put("majority", Quorum.majority(q.total()));
        String text = action + ": node " + st.nodeId() + " is an active " + st.role() + " of swarm " + st.shortDigest()
                + " through " + cand.address() + ", advertising " + adv.ip() + " ("
                + (System.nanoTime() - t0) / 1_000_000 + " ms)" + netsText(nets);
        return new Outcome(ExitCode.OK, text, j);
    }

    /** After a manager join, control (raft) comes up a moment later: wait for it briefly. */
    private SwarmState awaitRole() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        SwarmState st = SwarmState.read(docker);
        while (System.nanoTime() < deadline && (!st.active() || (o.role().equals("manager") && !st.manager()))) {
            Leave.sleep(100);
            st = SwarmState.read(docker);
        }
        return st;
    }

    private ObjectNode base(String action, boolean changed, SwarmState st, Preflight.Results checks, long t0) {
        ObjectNode j = Json.object();
        j.put("action", action).put("changed", changed);
        j.put("node_id", st.nodeId())
                .put("role", st.active() ? st.role() : null)
                .put("state", st.localState());
        j.put("ca_digest", st.caDigest());
        j.set("checks", checks.toJson());
        j.put("elapsed_ms", (System.nanoTime() - t0) / 1_000_000);
        return j;
    }

    private static ArrayNode netsJson(List<OverlayNetworks.Item> nets) {
        ArrayNode a = Json.array();
        nets.forEach(n -> a.add(n.toJson()));
        return a;
    }

    private static String netsText(List<OverlayNetworks.Item> nets) {
        if (nets.isEmpty()) return "";
        return "\nnetworks: "
                + nets.stream().map(n -> n.name() + " " + n.action()).collect(Collectors.joining(", "));
    }
}
