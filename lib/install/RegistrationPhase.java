package lib.install;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.config.Codex;
import lib.config.Settings;
import lib.config.Units;
import lib.http.Endpoint;
import lib.http.Response;
import lib.http.Retry;
import lib.http.RetryPolicy;
import lib.http.TransportException;
import lib.json.Json;
import lib.mgmt.MgmtClient;
import lib.secret.Secret;

/**
 * Phase 8: {@code POST {mgmt}/api/nodes/register} with the original body ({@code node_id}, {@code architecture},
 * {@code hostname}, {@code ip_address}) plus the node's codex entry (capabilities, resources, versions),
 * a Bearer token, retried with doubling back-off on 5xx, 408, 429 and on no answer at all, never on another
 * 4xx. The SHA-256 of the body sent is kept: a re-run with the same body sends nothing. A failure is a
 * warning unless --require-registration (then exit 1). No management node: skipped.
 */
public final class RegistrationPhase extends Phase {
    public static final String PATH = "/api/nodes/register";
    /** codex.yaml's own field names (snake_case) for the parts of the codex that go into the body (binding records: ObjectMapper's job). */
    static final com.fasterxml.jackson.databind.ObjectMapper SNAKE = new com.fasterxml.jackson.databind.ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private final Optional<MgmtClient> client;
    private final String hostname;
    private final java.util.function.Function<InstallContext, String> ipAddress;
    private final String dockerVersion;

    /**
     * @param client the management node's, empty when none is configured (standalone) or no token is set: {@link #client}
     */
    public RegistrationPhase(Optional<MgmtClient> client, String hostname, String ipAddress, String dockerVersion) {
        this(client, hostname, c -> ipAddress, dockerVersion);
    }

    /** {@code ipAddress} is worked out when the phase plans (after the overlays have their addresses). */
    public RegistrationPhase(
            Optional<MgmtClient> client,
            String hostname,
            java.util.function.Function<InstallContext, String> ipAddress,
            String dockerVersion) {
        super("registration", "Registration with the management node");
        this.client = client;
        this.hostname = hostname;
        this.ipAddress = ipAddress;
        this.dockerVersion = dockerVersion;
    }

    /** The management node's client for registration: empty without a management node or an API token. */
    public static Optional<MgmtClient> client(Settings s) {
        return s.apiToken().isEmpty() ? Optional.empty() : MgmtClient.fromSettings(s);
    }

    @Override
    public void validate(InstallContext ctx) {
        if (client.isEmpty() && ctx.options().requireRegistration()) {
            throw N0d3Exception.usage("--require-registration: "
                    + (ctx.settings().mgmtUrl().isEmpty()
                            ? "no management node is configured (MGMT_NODE_URL or management.api_endpoint)"
                            : "no API token (API_TOKEN_FILE or API_TOKEN)"));
        }
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        if (client.isEmpty()) {
            return p.skip(
                    ctx.settings().mgmtUrl().isEmpty()
                            ? "no management node configured"
                            : "no API token (API_TOKEN_FILE or API_TOKEN)");
        }
        MgmtClient t = client.get();
        ObjectNode body = body(ctx.settings(), ctx.facts().arch(), hostname, ipAddress.apply(ctx), dockerVersion);
        byte[] json = Json.bytes(body);
        String sha = InstallState.sha256(json);
        InstallState.Registration prev = ctx.state().get(InstallState.REGISTRATION);
        if (prev != null && sha.equals(prev.requestSha256())) {
            p.note("registered as " + body.path("node_id").asText() + " at " + prev.registeredAt()
                    + " with the same details");
            return p;
        }
        String tokenSource = ctx.settings().apiToken().map(Secret::source).orElse("(none)");
        p.step(
                "request",
                "POST " + base(t) + PATH + " (node_id " + body.path("node_id").asText() + ", " + json.length
                        + " bytes, the API token from " + tokenSource + " as the Authorization header)",
                c -> register(c, t, body, json, sha, p));
        return p;
    }

    /**
     * The node id, the same rule as telemetry's payload (lib/telemetry Payload.nodeId, kept equal by a test):
     * NODE_ID, else node-NODE_NAME, as the original scripts did (node-$(hostname)).
     */
    public static String nodeId(java.util.Map<String, String> env, String nodeName) {
        String v = env.get("NODE_ID");
        if (v != null && !v.isBlank()) return v.strip();
        return "node-" + nodeName;
    }

    /** The request body: the original four fields, then the codex entry. */
    public static ObjectNode body(Settings s, String arch, String hostname, String ipAddress, String dockerVersion) {
        Codex c = s.codex();
        ObjectNode b = Json.object();
        b.put("node_id", nodeId(s.env(), s.nodeName()));
        b.put("architecture", arch);
        b.put("hostname", hostname);
        b.put("ip_address", ipAddress);
        ObjectNode codex = b.putObject("codex");
        codex.put("name", c.metadata().name());
        ObjectNode labels = codex.putObject("labels");
        if (c.metadata().labels() != null) c.metadata().labels().forEach(labels::put);
        ObjectNode caps = codex.putObject("capabilities");
        Codex.Swarm sw = c.capabilities().swarm();
        caps.putObject("swarm")
                .put("enabled", Boolean.TRUE.equals(sw.enabled()))
                .put("role", sw.role());
        ObjectNode ov = caps.putObject("overlays");
        var o = c.capabilities().networking().overlays();
        ov.put(
                "zerotier",
                o.zerotier() != null && Boolean.TRUE.equals(o.zerotier().enabled()));
        ov.put(
                "tailscale",
                o.tailscale() != null && Boolean.TRUE.equals(o.tailscale().enabled()));
        Codex.Telemetry tel = c.capabilities().telemetry();
        caps.putObject("telemetry")
                .put("enabled", Boolean.TRUE.equals(tel.enabled()))
                .put("interval_seconds", s.telemetryInterval().toSeconds());
        codex.set("resources", SNAKE.valueToTree(c.resources()));
        ObjectNode v = codex.putObject("versions");
        v.put("n0d3", Version.VERSION);
        v.put("codex", c.metadata().version());
        if (dockerVersion != null) v.put("docker", dockerVersion);
        return b;
    }

    /** The base URL, for messages. */
    private static String base(MgmtClient c) {
        return c.base().toString().replaceAll("/+$", "");
    }

    private static void register(
            InstallContext ctx, MgmtClient t, ObjectNode body, byte[] json, String sha, PhasePlan p) {
        Codex.Registration cfg = ctx.settings().codex().install() == null
                ? null
                : ctx.settings().codex().install().registration();
        int attempts = cfg == null || cfg.attempts() == null ? 5 : cfg.attempts();
        Duration wait = cfg == null || cfg.backoff() == null ? Duration.ofSeconds(2) : cfg.backoff();
        String url = base(t) + PATH;
        Endpoint post = Endpoint.post(
                PATH, MgmtClient.JSON, json, "register " + body.path("node_id").asText());
        Retry retry = new Retry(attempts, RetryPolicy.doubling(wait), RetryPolicy::retryable, true, false);
        Response a;
        try {
            a = t.send(
                    post,
                    retry,
                    (i, why, w) -> Log.info("  registration attempt " + i + "/" + attempts + ": " + why
                            + "; retrying in " + Units.format(w)));
        } catch (TransportException e) {
            fail(ctx, p, "POST " + url + " failed " + attempts + " times, last: no answer (" + e.getMessage() + ")");
            return;
        }
        if (a.ok()) {
            ctx.state()
                    .set(
                            InstallState.REGISTRATION,
                            new InstallState.Registration(
                                    body.path("node_id").asText(),
                                    url,
                                    sha,
                                    ctx.now().toString(),
                                    a.status()));
            Log.ok("registered as " + body.path("node_id").asText() + " (HTTP " + a.status() + ")");
            return;
        }
        String last = "HTTP " + a.status() + (a.brief().isEmpty() ? "" : ": " + a.brief());
        if (retry.again().test(a.status()))
            fail(ctx, p, "POST " + url + " failed " + attempts + " times, last: " + last);
        else if (a.authFailure()) fail(ctx, p, t.authMessage(a, post));
        else fail(ctx, p, "POST " + url + " was refused (" + last + "); not retried");
    }

    private static void fail(InstallContext ctx, PhasePlan p, String msg) {
        if (ctx.options().requireRegistration()) throw N0d3Exception.failure("registration: " + msg);
        Log.warn("registration: " + msg
                + " (the install goes on; run it again, or use --require-registration to make this fatal)");
        p.warn("registration failed: " + msg);
    }

    /**
     * The address the node reports: the first overlay address when there is one (the management node and the
     * swarm reach fleet nodes over the overlay), else the first IPv4 of an interface that is up, not loopback and
     * not a container bridge (the original script's {@code hostname -I | awk '{print $1}'}).
     */
    public static String primaryIpv4(List<String> preferred) {
        for (String a : preferred) if (a != null && !a.isBlank()) return a.replaceFirst("/.*$", "");
        try {
            List<NetworkInterface> ifs = Collections.list(NetworkInterface.getNetworkInterfaces());
            List<String> found = new ArrayList<>();
            for (NetworkInterface ni : ifs) {
                String n = ni.getName();
                if (!ni.isUp()
                        || ni.isLoopback()
                        || n.startsWith("docker")
                        || n.startsWith("br-")
                        || n.startsWith("veth")) continue;
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) found.add(a.getHostAddress());
                }
            }
            return found.isEmpty() ? "" : found.get(0);
        } catch (SocketException e) {
            return "";
        }
    }
}
