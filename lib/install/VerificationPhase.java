package lib.install;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import lib.config.Codex;
import lib.http.Endpoint;
import lib.http.HttpTransport;
import lib.http.Response;
import lib.http.TransportException;
import lib.overlay.OverlaySettings;
import lib.overlay.ZeroTierCli;

/**
 * Phase 9: codex.yaml's {@code deployment.verification} checks, read-only, as a table (printed, and in
 * --json). docker: the Engine API answers. swarm: this node is an active swarm member (skipped when no swarm
 * is configured). telemetry: the units are installed and enabled. overlay: each enabled overlay has an
 * address. registration: the management node accepted this node. http: the URL answers 2xx.
 * Then, always, the security audit in a table of its own ({@link #audit()}): the network audit
 * ({@link NetworkAudit}: what listens where in this network namespace; skipped for an install under an
 * alternate --root, which is not the running node, unless this is {@code install.java --verify}) and the
 * access checks of the installed files ({@link AccessAudit}). A failed check or audit row fails the install
 * (exit 1); skipped and warning rows do not.
 */
public final class VerificationPhase extends Phase {
    private final OverlaySettings overlays;
    private final VerificationTable table = new VerificationTable();
    private final VerificationTable audit = new VerificationTable();
    private java.util.function.Supplier<NetworkAudit> network = NetworkAudit::system;
    private boolean auditNetworkUnderRoot;

    public VerificationPhase(OverlaySettings overlays) {
        super("verification", "Verification");
        this.overlays = overlays;
    }

    /** install.java --verify: audit the running system's network even with an alternate --root. */
    public VerificationPhase auditNetworkUnderRoot() {
        this.auditNetworkUnderRoot = true;
        return this;
    }

    /** The network audit to run (tests: one over a /proc tree of their own). */
    public VerificationPhase network(java.util.function.Supplier<NetworkAudit> n) {
        this.network = n;
        return this;
    }

    public VerificationTable table() {
        return table;
    }

    /** The security audit's rows (network, access). */
    public VerificationTable audit() {
        return audit;
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        List<Codex.Verification> checks = ctx.settings().codex().deployment() == null
                ? List.of()
                : ctx.settings().codex().deployment().verification();
        if (checks == null) checks = List.of();
        if (ctx.dryRun()) {
            for (Codex.Verification v : checks) p.note("would check " + v.name() + " (" + v.check() + ")");
            p.note("would audit what listens where (network) and the modes and owners of the installed files (access)");
            return p;
        }
        for (Codex.Verification v : checks) run(ctx, v);
        audit(ctx);
        p.note(table.count(VerificationTable.Result.OK) + " ok, " + table.count(VerificationTable.Result.FAIL)
                + " failed, "
                + table.count(VerificationTable.Result.SKIP) + " skipped; audit: "
                + audit.count(VerificationTable.Result.OK) + " ok, "
                + audit.count(VerificationTable.Result.FAIL) + " failed, " + audit.count(VerificationTable.Result.WARN)
                + " warnings");
        audit.rows().stream()
                .filter(r -> r.result() == VerificationTable.Result.WARN)
                .forEach(r -> p.warn(r.name() + ": " + r.detail()));
        if (!table.allGreen() || !audit.allGreen()) {
            java.util.stream.Stream.concat(table.rows().stream(), audit.rows().stream())
                    .filter(r -> r.result() == VerificationTable.Result.FAIL)
                    .forEach(r -> p.warn(r.name() + ": " + r.detail()));
            p.status(PhasePlan.Status.FAILED);
        }
        return p;
    }

    /** The security audit: the network of the running node, the access rights of the installed files. */
    void audit(InstallContext ctx) {
        if (ctx.root().live() || auditNetworkUnderRoot) {
            try {
                network.get().run(ctx, overlays, audit);
            } catch (RuntimeException e) {
                audit.add(
                        "network",
                        NetworkAudit.CHECK,
                        VerificationTable.Result.FAIL,
                        "the network audit failed: " + e.getMessage());
            }
        } else {
            audit.add(
                    "network",
                    NetworkAudit.CHECK,
                    VerificationTable.Result.SKIP,
                    "--root " + ctx.root().dir() + " is not the running node: run install.java --verify on the node");
        }
        new AccessAudit(ctx.root(), SudoReexec.effectiveUid()).run(audit);
    }

    void run(InstallContext ctx, Codex.Verification v) {
        try {
            switch (v.check()) {
                case "docker" -> docker(ctx, v);
                case "swarm" -> swarm(ctx, v);
                case "telemetry" -> telemetry(ctx, v);
                case "overlay" -> overlay(ctx, v);
                case "registration" -> registration(ctx, v);
                case "http" -> http(v);
                default -> table.add(v.name(), v.check(), VerificationTable.Result.FAIL, "unknown check");
            }
        } catch (RuntimeException e) {
            table.add(v.name(), v.check(), VerificationTable.Result.FAIL, e.getMessage());
        }
    }

    private void docker(InstallContext ctx, Codex.Verification v) {
        if (!ctx.docker().ping()) {
            table.add(
                    v.name(),
                    v.check(),
                    VerificationTable.Result.FAIL,
                    "no answer at " + ctx.docker().host().display());
            return;
        }
        JsonNode ver = ctx.docker().version();
        table.add(
                v.name(),
                v.check(),
                VerificationTable.Result.OK,
                "Docker " + ver.path("Version").asText("?") + " (API "
                        + ver.path("ApiVersion").asText("?") + ") at "
                        + ctx.docker().host().display());
    }

    private void swarm(InstallContext ctx, Codex.Verification v) {
        if (!Boolean.TRUE.equals(ctx.settings().codex().capabilities().swarm().enabled())) {
            table.add(v.name(), v.check(), VerificationTable.Result.SKIP, "capabilities.swarm.enabled is false");
        } else if (!SwarmEnrolment.configured(ctx.settings())) {
            table.add(v.name(), v.check(), VerificationTable.Result.SKIP, SwarmEnrolment.whyNot(ctx.settings()));
        } else {
            String s = SwarmEnrolment.verify(ctx);
            boolean ok = s.startsWith("active");
            table.add(v.name(), v.check(), ok ? VerificationTable.Result.OK : VerificationTable.Result.FAIL, s);
        }
    }

    private void telemetry(InstallContext ctx, Codex.Verification v) {
        if (!Boolean.TRUE.equals(
                ctx.settings().codex().capabilities().telemetry().enabled())) {
            table.add(v.name(), v.check(), VerificationTable.Result.SKIP, "capabilities.telemetry.enabled is false");
            return;
        }
        StringBuilder missing = new StringBuilder();
        List<TelemetryUnits.Unit> units = TelemetryUnits.units(ctx);
        for (TelemetryUnits.Unit u : units) {
            String path = TelemetryPhase.UNIT_DIR + "/" + u.name();
            byte[] have = ctx.root().read(path);
            if (have == null || !InstallState.sha256(have).equals(InstallState.sha256(u.content())))
                missing.append(", ").append(path).append(" missing or changed");
        }
        for (TelemetryPhase.EnableLink e : TelemetryPhase.enableLinks(units)) {
            if (!e.pointsTo().equals(ctx.root().readLink(e.link())))
                missing.append(", ").append(e.unit()).append(" not enabled");
        }
        if (!ctx.root().exists(TelemetryPhase.JAR))
            missing.append(", ").append(TelemetryPhase.JAR).append(" missing (the units run it)");
        if (missing.length() > 0) table.add(v.name(), v.check(), VerificationTable.Result.FAIL, missing.substring(2));
        else
            table.add(
                    v.name(),
                    v.check(),
                    VerificationTable.Result.OK,
                    String.join(", ", TelemetryUnits.ENABLE) + " installed and enabled, " + TelemetryPhase.JAR
                            + " in place");
    }

    private void overlay(InstallContext ctx, Codex.Verification v) {
        StringBuilder sb = new StringBuilder();
        boolean ok = true;
        if (overlays.zerotierEnabled()) {
            ZeroTierCli.Network n = OverlayPhase.zerotierNetwork(ctx, overlays);
            ok &= n != null && n.ready();
            sb.append("zerotier ")
                    .append(n == null ? "not joined" : n.status() + " " + String.join(",", n.addresses()))
                    .append("; ");
        }
        if (overlays.tailscaleEnabled()) {
            String ip = OverlayPhase.tailscaleIpv4(ctx);
            ok &= !ip.isEmpty();
            sb.append("tailscale ").append(ip.isEmpty() ? "no address" : ip).append("; ");
        }
        if (sb.length() == 0) {
            table.add(v.name(), v.check(), VerificationTable.Result.SKIP, "no overlay enabled");
            return;
        }
        table.add(
                v.name(),
                v.check(),
                ok ? VerificationTable.Result.OK : VerificationTable.Result.FAIL,
                sb.substring(0, sb.length() - 2));
    }

    private void registration(InstallContext ctx, Codex.Verification v) {
        if (ctx.settings().mgmtUrl().isEmpty()) {
            table.add(v.name(), v.check(), VerificationTable.Result.SKIP, "no management node configured");
            return;
        }
        InstallState.Registration r = ctx.state().get(InstallState.REGISTRATION);
        if (r != null && r.registeredAt() != null) {
            table.add(
                    v.name(),
                    v.check(),
                    VerificationTable.Result.OK,
                    "registered as " + r.nodeId() + " at " + r.registeredAt());
        } else {
            table.add(v.name(), v.check(), VerificationTable.Result.FAIL, "not registered");
        }
    }

    private void http(Codex.Verification v) {
        if (v.url() == null || v.url().isBlank()) {
            table.add(v.name(), v.check(), VerificationTable.Result.FAIL, "check http needs a url");
            return;
        }
        try {
            Response r = HttpTransport.to(URI.create(v.url()))
                    .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                    .accept("*/*")
                    .send(Endpoint.get("", "check " + v.name()));
            table.add(
                    v.name(),
                    v.check(),
                    r.ok() ? VerificationTable.Result.OK : VerificationTable.Result.FAIL,
                    "HTTP " + r.status() + " from " + v.url());
        } catch (TransportException e) {
            table.add(v.name(), v.check(), VerificationTable.Result.FAIL, v.url() + ": " + e.reason());
        }
    }
}
