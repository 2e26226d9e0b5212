package lib.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import lib.cli.N0d3Exception;
import lib.config.CodexLoader;
import lib.mgmt.MgmtApi;

/**
 * The managers the management node knows: {@code GET /api/swarm/managers}, answer validated against
 * schemas/mgmt-swarm-managers.schema.json (shape documented there and in SOP-002).
 */
public final class MgmtManagers {
    public static final String PATH = "/api/swarm/managers";
    public static final String SCHEMA = "schemas/mgmt-swarm-managers.schema.json";

    private MgmtManagers() {}

    /** The list and the raw answer (its Date header serves the clock-skew check). */
    public record Fetched(List<ManagerCandidate> managers, MgmtApi.Answer answer) {}

    public static Fetched fetch(MgmtApi api) {
        MgmtApi.Answer a = api.getJson(PATH);
        return new Fetched(parse(a.body(), api.base() + PATH), a);
    }

    static List<ManagerCandidate> parse(JsonNode body, String from) {
        // a bad answer is the management node's fault, not the operator's: exit 1, not 2
        try {
            CodexLoader.Document doc = CodexLoader.parse(from, body.toPrettyString());
            CodexLoader.validate(doc, SCHEMA);
            List<ManagerCandidate> out = new ArrayList<>();
            int i = 0;
            for (JsonNode m : body.path("managers")) {
                ManagerAddress a = ManagerAddress.parse(m.path("addr").asText(), from + ": managers[" + i++ + "].addr");
                out.add(new ManagerCandidate(a, "management node", m.path("leader").asBoolean(false), m.path("reachability").asText("unknown")));
            }
            return out;
        } catch (N0d3Exception e) {
            throw N0d3Exception.failure("unexpected answer from the management node: " + e.getMessage());
        }
    }
}
