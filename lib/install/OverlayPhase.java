package lib.install;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.overlay.OverlayCli;
import lib.overlay.OverlaySettings;
import lib.overlay.TailscaleCli;
import lib.overlay.ZeroTierCentral;
import lib.overlay.ZeroTierCli;
import lib.plan.Step;
import lib.proc.ProcessFailedException;
import lib.proc.ProcessResult;
import lib.secret.Secret;

/**
 * Phase 4: the overlays. ZeroTier: {@code zerotier-cli join}, then {@code set} allowManaged / allowGlobal /
 * allowDefault / allowDNS as the config says, member authorisation through ZeroTier Central when
 * ZEROTIER_API_TOKEN is set, then a wait (bounded by join_timeout) for the network to be OK with an
 * address; each step only when the host is not already there. Tailscale: {@code tailscale up} with the
 * config's hostname, tags, routes, DNS and exit-node settings and the auth key on stdin, only when the node
 * is not Running with the same settings (the hash of the up command, without the key, is kept in the state).
 * A disabled overlay is skipped; a missing CLI is installed only with --install-overlays.
 */
public final class OverlayPhase extends Phase {
    static final List<String> ZT_FLAGS = List.of("allowManaged", "allowGlobal", "allowDefault", "allowDNS");
    private final OverlaySettings s;
    private TailscaleCli.Status tailscaleStatus;

    public OverlayPhase(OverlaySettings settings) {
        super("overlays", "Overlay networks");
        this.s = settings;
    }

    @Override
    public void validate(InstallContext ctx) {
        if (s.zerotierEnabled()
                && ctx.program("zerotier-cli").isEmpty()
                && !ctx.options().installOverlays()) {
            throw N0d3Exception.unexpectedState(
                    "ZeroTier is enabled (" + s.zerotier().source() + ") but zerotier-cli is not on PATH: "
                            + "install zerotier-one, or run again with --install-overlays");
        }
        if (s.tailscaleEnabled()) {
            var cli = ctx.program("tailscale");
            if (cli.isEmpty() && !ctx.options().installOverlays()) {
                throw N0d3Exception.unexpectedState(
                        "Tailscale is enabled (" + s.tailscale().source() + ") but tailscale is not on PATH: "
                                + "install it, or run again with --install-overlays");
            }
            tailscaleStatus =
                    cli.isPresent() ? new TailscaleCli(ctx.runner(), cli.get(), ctx.childEnv()).status() : null;
            boolean loggedIn = tailscaleStatus != null
                    && !List.of("NeedsLogin", "NoState", "").contains(tailscaleStatus.backendState());
            if (!loggedIn && s.tailscale().authKey().isEmpty()) {
                throw N0d3Exception.usage(
                        "Tailscale is not logged in and no auth key is available: set TAILSCALE_AUTH_KEY_FILE "
                                + "(or TAILSCALE_AUTH_KEY), or the auth_key of "
                                + s.tailscale().source());
            }
        }
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        if (s.zerotier() == null) p.note("ZeroTier: disabled in codex.yaml");
        else if (!s.zerotier().hasNetwork())
            p.note("ZeroTier: no network id (set ZEROTIER_NETWORK_ID or network_id in "
                    + s.zerotier().source() + "): skipped");
        else if (!s.zerotier().autoJoin())
            p.note("ZeroTier: auto_join is false in " + s.zerotier().source() + ": skipped");
        else zerotier(ctx, p);
        if (s.tailscale() == null) p.note("Tailscale: disabled in codex.yaml");
        else tailscale(ctx, p);
        if (!s.zerotierEnabled() && !s.tailscaleEnabled()) p.skip("no overlay to join");
        return p;
    }

    /** The node's overlay addresses, ZeroTier first, then Tailscale (for registration's ip_address); read-only. */
    public static List<String> addresses(InstallContext ctx, OverlaySettings s) {
        List<String> out = new ArrayList<>();
        if (s.zerotierEnabled()) {
            ZeroTierCli.Network n = zerotierNetwork(ctx, s);
            if (n != null && n.ready())
                n.addresses().stream().filter(a -> a.contains(".")).findFirst().ifPresent(out::add);
        }
        if (s.tailscaleEnabled()) {
            String ip = tailscaleIpv4(ctx);
            if (!ip.isEmpty()) out.add(ip);
        }
        return out;
    }

    /** The configured ZeroTier network as zerotier-cli reports it; null without the CLI or when not joined. */
    static ZeroTierCli.Network zerotierNetwork(InstallContext ctx, OverlaySettings s) {
        var p = ctx.program("zerotier-cli");
        return p.isEmpty()
                ? null
                : new ZeroTierCli(ctx.runner(), p.get(), ctx.childEnv())
                        .network(s.zerotier().networkId());
    }

    /** The node's Tailscale IPv4 address; empty without the CLI or an address. */
    static String tailscaleIpv4(InstallContext ctx) {
        var p = ctx.program("tailscale");
        return p.isEmpty() ? "" : new TailscaleCli(ctx.runner(), p.get(), ctx.childEnv()).ipv4();
    }

    /**
     * Where the overlay's program is installed; when it is not, the steps installing its packages come first
     * (--install-overlays) and the program is then run by its plain name.
     */
    private static Optional<Path> installedOr(
            InstallContext ctx,
            PhasePlan p,
            String program,
            Function<InstallContext, List<Step<InstallContext>>> packages,
            String what) {
        Optional<Path> path = ctx.program(program);
        if (path.isEmpty()) {
            packages.apply(ctx).forEach(p::add);
            p.note(what + " is installed first (--install-overlays)");
        }
        return path;
    }

    // ---- ZeroTier ----

    private void zerotier(InstallContext ctx, PhasePlan p) {
        OverlaySettings.ZeroTier z = s.zerotier();
        String nwid = z.networkId();
        Optional<Path> path = installedOr(ctx, p, "zerotier-cli", OverlayPackages::zerotier, "ZeroTier: zerotier-one");
        ZeroTierCli cli = new ZeroTierCli(ctx.runner(), path.orElse(Path.of("zerotier-cli")), ctx.childEnv());
        ZeroTierCli.Network net = null;
        String member = null;
        if (path.isPresent()) {
            member = cli.address();
            net = cli.network(nwid);
        }
        if (net == null) {
            p.add(CommandAction.run(cli.join(nwid), "join the ZeroTier network")
                    .then(c -> c.state()
                            .update(
                                    InstallState.OVERLAYS,
                                    o -> new InstallState.Overlays(
                                            new InstallState.Overlays.ZeroTier(nwid, true), o.tailscale()))));
        }
        for (String flag : ZT_FLAGS) {
            boolean want = want(z, flag);
            if (net == null || net.flag(flag) != want)
                p.add(CommandAction.run(cli.set(nwid, flag, want), "from " + z.source()));
        }
        boolean ready = net != null && net.ready();
        if (!ready && z.viaCentralApi()) {
            if (z.apiToken().isPresent()) {
                ZeroTierCentral central =
                        new ZeroTierCentral(z.centralApiUrl(), z.apiToken().get());
                String who = member == null ? "this node" : member;
                String name = z.memberName();
                p.step(
                        "request",
                        "POST " + central.memberUri(nwid, member == null ? "<member>" : member) + " (authorise " + who
                                + " as '" + name + "' with "
                                + z.apiToken().get().source() + ")",
                        c -> central.authorize(nwid, cli.address(), name, z.memberDescription()));
            } else {
                p.note("ZeroTier: ZEROTIER_API_TOKEN is not set: a network admin must authorise member "
                        + (member == null ? "(this node)" : member) + " in ZeroTier Central");
            }
        }
        if (!ready) {
            p.step(
                    "wait",
                    "until network " + nwid + " is OK with an address (up to "
                            + z.joinTimeout().toSeconds() + "s)",
                    c -> awaitZeroTier(c, cli, z));
        } else {
            p.note("ZeroTier " + nwid + ": member " + member + ", status OK, " + String.join(", ", net.addresses())
                    + " on " + net.device() + (net.mtu() > 0 ? " (MTU " + net.mtu() + ")" : ""));
            missingRoutes(z, net)
                    .forEach(r -> p.warn(
                            "ZeroTier " + nwid + ": expected managed route " + r + " is not pushed by the controller"));
            if (ctx.state().get(InstallState.OVERLAYS).zerotier() == null) {
                // joined before this installer ran: remember it, but not as ours
                p.note("ZeroTier: the host was already a member of " + nwid);
            }
        }
    }

    static boolean want(OverlaySettings.ZeroTier z, String flag) {
        return switch (flag) {
            case "allowManaged" -> z.allowManaged();
            case "allowGlobal" -> z.allowGlobal();
            case "allowDefault" -> z.allowDefault();
            default -> z.allowDns();
        };
    }

    static List<String> missingRoutes(OverlaySettings.ZeroTier z, ZeroTierCli.Network net) {
        List<String> missing = new ArrayList<>();
        for (String r : z.routes()) if (!net.routes().contains(r)) missing.add(r);
        return missing;
    }

    /** Polls listnetworks until the network is OK with an address; a timeout explains the last status. */
    static void awaitZeroTier(InstallContext ctx, ZeroTierCli cli, OverlaySettings.ZeroTier z) {
        long deadline = System.nanoTime() + z.joinTimeout().toNanos();
        String last = null;
        String member = cli.address();
        while (true) {
            ZeroTierCli.Network n = cli.network(z.networkId());
            String status = n == null ? "NOT_JOINED" : n.status();
            if (n != null && n.ready()) {
                Log.ok("ZeroTier " + z.networkId() + ": " + String.join(", ", n.addresses()) + " on " + n.device());
                missingRoutes(z, n)
                        .forEach(r -> Log.warn("ZeroTier " + z.networkId() + ": expected managed route " + r
                                + " is not pushed by the controller"));
                return;
            }
            if (!status.equals(last)) {
                Log.info("  ZeroTier " + z.networkId() + ": " + status
                        + (status.equals("ACCESS_DENIED") ? " (member " + member + " is not authorised yet)" : "")
                        + ", waiting");
                last = status;
            }
            if (System.nanoTime() > deadline) throw N0d3Exception.failure(zeroTierTimeout(z, member, status));
            DockerPhase.sleep(ctx.options().pollInterval());
        }
    }

    static String zeroTierTimeout(OverlaySettings.ZeroTier z, String member, String status) {
        String why = switch (status) {
            case "ACCESS_DENIED" ->
                "member " + member + " is not authorised on the network: authorise it in ZeroTier Central"
                        + (z.viaCentralApi() ? " (or set ZEROTIER_API_TOKEN for the installer to do it)" : "")
                        + ", then run install again";
            case "REQUESTING_CONFIGURATION" ->
                "the network's controller has not answered: check the network id and that UDP 9993 can leave this host";
            case "NOT_FOUND" -> "the network does not exist: check the network id";
            case "OK" -> "the member is authorised but has no address: enable IPv4 auto-assign on the network";
            default -> "see zerotier-cli listnetworks";
        };
        return "ZeroTier network " + z.networkId() + ": no address after "
                + z.joinTimeout().toSeconds() + "s (status " + status + "): " + why;
    }

    // ---- Tailscale ----

    private void tailscale(InstallContext ctx, PhasePlan p) {
        OverlaySettings.Tailscale t = s.tailscale();
        Optional<Path> path = installedOr(ctx, p, "tailscale", OverlayPackages::tailscale, "Tailscale: tailscale");
        TailscaleCli cli = new TailscaleCli(ctx.runner(), path.orElse(Path.of("tailscale")), ctx.childEnv());
        TailscaleCli.Status st = path.isEmpty() ? null : tailscaleStatus != null ? tailscaleStatus : cli.status();
        String wantHash = InstallState.sha256(cli.up(t, null).display().replace(cli.program(), "tailscale"));
        InstallState.Overlays.Tailscale had =
                ctx.state().get(InstallState.OVERLAYS).tailscale();
        String haveHash = had == null || had.upSha256() == null ? "" : had.upSha256();
        boolean sameName = st != null && (t.hostname().isEmpty() || t.hostname().equalsIgnoreCase(st.hostName()));
        if (st != null
                && st.running()
                && sameName
                && (wantHash.equals(haveHash)
                        || (haveHash.isEmpty() && st.tags().containsAll(t.tags())))) {
            p.note("Tailscale: Running as " + st.hostName() + ", " + String.join(", ", st.ips()));
            return;
        }
        boolean needsKey = st == null || !st.running();
        Secret key = needsKey ? t.authKey().orElse(null) : null;
        if (needsKey && key == null) {
            throw N0d3Exception.usage("Tailscale is " + (st == null ? "not installed yet" : st.backendState())
                    + " and no auth key is available: set TAILSCALE_AUTH_KEY_FILE");
        }
        var up = cli.up(t, key);
        p.step(
                        "run",
                        up.display() + (key == null ? "" : "   # auth key from " + key.source() + " on stdin"),
                        c -> tailscaleUp(c, cli, up, t))
                .then(c -> c.state()
                        .update(
                                InstallState.OVERLAYS,
                                o -> new InstallState.Overlays(
                                        o.zerotier(),
                                        new InstallState.Overlays.Tailscale(true, t.hostname(), wantHash))));
    }

    static void tailscaleUp(InstallContext ctx, TailscaleCli cli, lib.proc.Command up, OverlaySettings.Tailscale t) {
        ProcessResult r;
        try {
            r = ctx.runner().runAnyExit(up);
        } catch (ProcessFailedException e) {
            r = new ProcessResult(-1, "", Objects.toString(e.getMessage(), ""));
        }
        if (!r.ok()) {
            TailscaleCli.Status st = cli.status();
            String why = switch (st.backendState()) {
                case "NeedsMachineAuth" ->
                    "this machine waits for approval by a tailnet admin (BackendState NeedsMachineAuth): approve it in the "
                            + "Tailscale admin console, or use a pre-approved auth key, then run install again";
                case "NeedsLogin" ->
                    "the auth key was not accepted (BackendState NeedsLogin): check that it is valid, not expired, and allowed the tags "
                            + String.join(",", t.tags());
                default ->
                    "BackendState " + st.backendState() + ": "
                            + OverlayCli.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr());
            };
            throw N0d3Exception.failure(
                    "tailscale up did not reach Running within " + t.upTimeout().toSeconds() + "s: " + why);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String ip = cli.ipv4();
        while (ip.isEmpty()) {
            if (System.nanoTime() > deadline)
                throw N0d3Exception.failure("tailscale is Running but 'tailscale ip -4' shows no address after 15s");
            DockerPhase.sleep(ctx.options().pollInterval());
            ip = cli.ipv4();
        }
        Log.ok("Tailscale: " + ip + " as " + t.hostname());
    }
}
