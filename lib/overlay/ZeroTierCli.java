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

/**
 * zerotier-cli, read through its JSON output: {@code -j info} (the service's /status: "address", "online",
 * "version") and {@code -j listnetworks} (an array of networks: "nwid", "status", "assignedAddresses",
 * "portDeviceName", "mtu", "routes", "allowManaged", "allowGlobal", "allowDefault", "allowDNS"), as
 * ZeroTierOne's one.cpp and service/OneService.cpp print them.
 */
public final class ZeroTierCli extends OverlayCli {
    public ZeroTierCli(ProcessRunner runner, Path program, java.util.Map<String, String> env) {
        super(runner, program, env);
    }

    /** One network as listnetworks shows it. */
    public record Network(
            String nwid,
            String status,
            List<String> addresses,
            String device,
            int mtu,
            List<String> routes,
            boolean allowManaged,
            boolean allowGlobal,
            boolean allowDefault,
            boolean allowDns) {
        public boolean ready() {
            return "OK".equals(status) && !addresses.isEmpty();
        }

        public boolean flag(String name) {
            return switch (name) {
                case "allowManaged" -> allowManaged;
                case "allowGlobal" -> allowGlobal;
                case "allowDefault" -> allowDefault;
                default -> allowDns;
            };
        }
    }

    /** The node's ZeroTier address (its member id on every network). */
    public String address() {
        return json("-j", "info").path("address").asText("");
    }

    public List<Network> networks() {
        JsonNode a = json("-j", "listnetworks");
        List<Network> out = new ArrayList<>();
        for (JsonNode n : a) out.add(network(n));
        return out;
    }

    public Network network(String nwid) {
        return networks().stream()
                .filter(n -> n.nwid().equalsIgnoreCase(nwid))
                .findFirst()
                .orElse(null);
    }

    static Network network(JsonNode n) {
        List<String> addrs = new ArrayList<>();
        n.path("assignedAddresses").forEach(x -> addrs.add(x.asText()));
        List<String> routes = new ArrayList<>();
        n.path("routes").forEach(r -> routes.add(r.path("target").asText()));
        return new Network(
                n.path("nwid").asText(n.path("id").asText("")),
                n.path("status").asText(""),
                addrs,
                n.path("portDeviceName").asText(""),
                n.path("mtu").asInt(0),
                routes,
                n.path("allowManaged").asBoolean(false),
                n.path("allowGlobal").asBoolean(false),
                n.path("allowDefault").asBoolean(false),
                n.path("allowDNS").asBoolean(false));
    }

    public Command join(String nwid) {
        return cmd(List.of(program.toString(), "join", nwid));
    }

    /** {@code set NWID allowManaged=1}: the CLI takes 1/0 (or t/f) for the allow* settings. */
    public Command set(String nwid, String setting, boolean value) {
        return cmd(List.of(program.toString(), "set", nwid, setting + "=" + (value ? 1 : 0)));
    }

    private JsonNode json(String... args) {
        List<String> argv = new ArrayList<>(List.of(program.toString()));
        argv.addAll(List.of(args));
        ProcessResult r = runner.runAnyExit(cmd(argv));
        if (!r.ok()) {
            throw N0d3Exception.failure(String.join(" ", argv) + " exited with " + r.exitCode() + ": "
                    + firstLine(r.stdout().isBlank() ? r.stderr() : r.stdout()) + " (is zerotier-one running?)");
        }
        try {
            return Json.parse(r.stdout());
        } catch (IOException e) {
            throw N0d3Exception.failure(String.join(" ", argv) + ": not JSON: " + firstLine(r.stdout()));
        }
    }
}
