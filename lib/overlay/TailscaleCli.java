package lib.overlay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lib.cli.N0d3Exception;
import lib.json.Json;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import lib.secret.Secret;

/**
 * The tailscale CLI: {@code status --json} (ipnstate.Status: "BackendState", "AuthURL", "TailscaleIPs",
 * "Self" with "HostName", "DNSName", "Tags", "Online"), {@code ip -4}, and {@code up}. The auth key goes to
 * {@code up} as {@code --auth-key=file:/dev/stdin} with the key on standard input: the CLI reads a value
 * starting with "file:" from that file (cmd/tailscale/cli/up.go, resolveValueFromFile), so the key is
 * never on any command line.
 */
public final class TailscaleCli extends OverlayCli {
    public TailscaleCli(ProcessRunner runner, Path program, java.util.Map<String, String> env) {
        super(runner, program, env);
    }

    public record Status(String backendState, String authUrl, List<String> ips, String hostName, List<String> tags) {
        public boolean running() {
            return "Running".equals(backendState);
        }
    }

    public Status status() {
        ProcessResult r = runner.runAnyExit(cmd(List.of(program.toString(), "status", "--json")));
        JsonNode n;
        try {
            n = Json.parse(r.stdout());
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !n.isObject()) {
            throw N0d3Exception.failure(program + " status --json exited with " + r.exitCode() + ": "
                    + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip() + " (is tailscaled running?)");
        }
        List<String> ips = new ArrayList<>();
        n.path("TailscaleIPs").forEach(x -> ips.add(x.asText()));
        List<String> tags = new ArrayList<>();
        n.path("Self").path("Tags").forEach(x -> tags.add(x.asText()));
        return new Status(
                n.path("BackendState").asText(""),
                n.path("AuthURL").asText(""),
                ips,
                n.path("Self").path("HostName").asText(""),
                tags);
    }

    /** The first IPv4 address from {@code tailscale ip -4}, or "" while there is none. */
    public String ipv4() {
        ProcessResult r = runner.runAnyExit(cmd(List.of(program.toString(), "ip", "-4")));
        if (!r.ok()) return "";
        String s = r.stdout().strip();
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** The exact {@code tailscale up} command for these settings; the key (if any) travels on stdin. */
    public Command up(OverlaySettings.Tailscale t, Secret key) {
        List<String> argv = new ArrayList<>(List.of(program.toString(), "up", "--reset"));
        if (key != null) argv.add("--auth-key=file:/dev/stdin");
        if (!t.hostname().isEmpty()) argv.add("--hostname=" + t.hostname());
        argv.add("--advertise-tags=" + String.join(",", t.tags()));
        argv.add("--accept-routes=" + t.acceptRoutes());
        argv.add("--accept-dns=" + t.acceptDns());
        if (t.advertiseExitNode()) argv.add("--advertise-exit-node");
        if (!t.advertiseRoutes().isEmpty()) argv.add("--advertise-routes=" + String.join(",", t.advertiseRoutes()));
        if (t.exitNode() != null && !t.exitNode().isEmpty()) {
            argv.add("--exit-node=" + t.exitNode());
            if (t.exitNodeAllowLanAccess()) argv.add("--exit-node-allow-lan-access");
        }
        if (t.loginServer() != null && !t.loginServer().isEmpty()) argv.add("--login-server=" + t.loginServer());
        argv.add("--timeout=" + t.upTimeout().toSeconds() + "s");
        Command c = cmd(argv).timeout(t.upTimeout().plusSeconds(15));
        if (key != null) c.stdin(key);
        return c;
    }
}
