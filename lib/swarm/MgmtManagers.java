package lib.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lib.cli.N0d3Exception;
import lib.config.CodexLoader;
import lib.http.Endpoint;
import lib.http.Response;
import lib.http.TransportException;
import lib.json.Json;
import lib.mgmt.MgmtClient;

/**
 * The managers the management node knows: {@code GET /api/swarm/managers} with the API token, the
 * answer validated against schemas/mgmt-swarm-managers.schema.json (shape documented there and in
 * SOP-002). Every failure is operational (exit 1): the management node's fault, not the operator's.
 */
public final class MgmtManagers {
    public static final String PATH = "/api/swarm/managers";
    public static final String SCHEMA = "schemas/mgmt-swarm-managers.schema.json";

    private MgmtManagers() {}

    /** The answer and the server's clock, for the clock-skew check. */
    public record Answer(JsonNode body, Optional<Instant> serverDate, Instant receivedAt) {}

    /** The list and the answer it came from. */
    public record Fetched(List<ManagerCandidate> managers, Answer answer) {}

    public static Fetched fetch(MgmtClient api) {
        String url = api.uri(PATH).toString();
        Endpoint get = Endpoint.get(PATH, "fetch the swarm managers");
        Response r;
        try {
            r = api.send(get);
        } catch (TransportException e) {
            throw N0d3Exception.failure("management node: " + e.getMessage());
        }
        Instant received = Instant.now();
        if (r.authFailure()) throw N0d3Exception.failure(api.authMessage(r, get));
        if (r.status() != 200)
            throw N0d3Exception.failure(
                    "management node: GET " + url + " answered HTTP " + r.status() + ", expected 200");
        JsonNode body;
        try {
            body = Json.parse(r.body());
        } catch (IOException e) {
            throw N0d3Exception.failure("management node: GET " + url + " did not answer JSON");
        }
        return new Fetched(parse(body, url), new Answer(body, r.date(), received));
    }

    static List<ManagerCandidate> parse(JsonNode body, String from) {
        try {
            CodexLoader.Document doc = CodexLoader.parse(from, Json.pretty(body));
            CodexLoader.validate(doc, SCHEMA);
            List<ManagerCandidate> out = new ArrayList<>();
            int i = 0;
            for (JsonNode m : body.path("managers")) {
                ManagerAddress a = ManagerAddress.parse(m.path("addr").asText(), from + ": managers[" + i++ + "].addr");
                out.add(new ManagerCandidate(
                        a,
                        "management node",
                        m.path("leader").asBoolean(false),
                        m.path("reachability").asText("unknown")));
            }
            return out;
        } catch (N0d3Exception e) {
            throw N0d3Exception.failure("unexpected answer from the management node: " + e.getMessage());
        }
    }
}
