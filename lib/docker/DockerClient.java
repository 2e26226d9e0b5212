package lib.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import lib.json.Json;
import lib.secret.Secret;

/**
 * The Docker Engine API, pinned to v1.41 (Debian bookworm's dockerd 20.10), over DOCKER_HOST.
 * Answers are Jackson trees, named as the API names them (see the Engine API v1.41 reference).
 * Nothing here shells out to the docker CLI: the swarm join token travels in a request body,
 * never on a command line.
 */
public class DockerClient {
    public static final String API_VERSION = "1.41";
    private static final String PREFIX = "/v" + API_VERSION;

    private final DockerHost host;
    private final EngineHttp http;
    private Duration timeout = Duration.ofSeconds(30);

    public DockerClient(DockerHost host) {
        this.host = host;
        this.http = new EngineHttp(host);
    }

    public static DockerClient fromEnv(Map<String, String> env) {
        return new DockerClient(DockerHost.fromEnv(env));
    }

    public DockerHost host() {
        return host;
    }

    public DockerClient timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    /** True when the daemon answers /_ping with OK. */
    public boolean ping() {
        try {
            EngineHttp.Response r = http.exchange("GET", "/_ping", null, Duration.ofSeconds(3));
            return r.status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public JsonNode version() {
        return get("/version");
    }

    public JsonNode info() {
        return get("/info");
    }

    /** GET /swarm: only managers can answer; workers get 503. */
    public JsonNode swarmInspect() {
        return get("/swarm");
    }

    /** POST /swarm/init; returns the new node's id. */
    public String swarmInit(String listenAddr, String advertiseAddr) {
        ObjectNode body = Json.object();
        body.put("ListenAddr", listenAddr);
        if (advertiseAddr != null) body.put("AdvertiseAddr", advertiseAddr);
        body.put("ForceNewCluster", false);
        return text(call("POST", "/swarm/init", body, timeout.plusSeconds(20)));
    }

    /** POST /swarm/join: the token is in the body only. Blocks until joined or the daemon gives up. */
    public void swarmJoin(
            String listenAddr,
            String advertiseAddr,
            String dataPathAddr,
            List<String> remoteAddrs,
            Secret token,
            Duration joinTimeout) {
        ObjectNode body = Json.object();
        body.put("ListenAddr", listenAddr == null ? "0.0.0.0:2377" : listenAddr);
        if (advertiseAddr != null) body.put("AdvertiseAddr", advertiseAddr);
        if (dataPathAddr != null) body.put("DataPathAddr", dataPathAddr);
        ArrayNode remotes = body.putArray("RemoteAddrs");
        remoteAddrs.forEach(remotes::add);
        body.put("JoinToken", token.reveal());
        call("POST", "/swarm/join", body, joinTimeout);
    }

    public void swarmLeave(boolean force) {
        call("POST", "/swarm/leave?force=" + force, null, timeout.plusSeconds(20));
    }

    /** GET /nodes (managers only). */
    public JsonNode nodes() {
        return get("/nodes");
    }

    public JsonNode node(String id) {
        return get("/nodes/" + enc(id));
    }

    public JsonNode networks() {
        return get("/networks");
    }

    /** GET /networks/{name}; null when there is none. */
    public JsonNode network(String idOrName) {
        try {
            return get("/networks/" + enc(idOrName));
        } catch (DockerApiException e) {
            if (e.status() == 404) return null;
            throw e;
        }
    }

    /** POST /networks/create; returns the id. */
    public String networkCreate(ObjectNode spec) {
        return call("POST", "/networks/create", spec, timeout).path("Id").asText();
    }

    public void networkRemove(String idOrName) {
        call("DELETE", "/networks/" + enc(idOrName), null, timeout);
    }

    public JsonNode containers(boolean all) {
        return get("/containers/json?all=" + all);
    }

    public JsonNode container(String id) {
        return get("/containers/" + enc(id) + "/json");
    }

    /** One-shot stats (about 15 ms, against 2.5 s for docker stats --no-stream). */
    public JsonNode containerStats(String id) {
        return get("/containers/" + enc(id) + "/stats?stream=false&one-shot=true");
    }

    public JsonNode get(String path) {
        return call("GET", path, null, timeout);
    }

    /** Any call; {@code path} without the version prefix. */
    public JsonNode call(String method, String path, JsonNode body, Duration t) {
        JsonNode tree = parse(exchange(method, path, body == null ? null : Json.write(body), t)
                .bytes());
        return tree == null ? NullNode.getInstance() : tree;
    }

    /**
     * GET /containers/json read as a stream into {@link ListedContainer}s, without a tree of the whole answer: the
     * telemetry daemon lists every sample (docs/decisions/telemetry-cost.md).
     */
    public List<ListedContainer> containerList(boolean all) {
        EngineHttp.Response r = exchange("GET", "/containers/json?all=" + all, null, timeout);
        try {
            return ListedContainer.read(r.bytes());
        } catch (IOException e) {
            throw new DockerApiException(
                    r.status(), "Docker GET /containers/json: not a container list: " + e.getMessage());
        }
    }

    /** One request; an answer of status 400 or above is a {@link DockerApiException} with dockerd's message. */
    private EngineHttp.Response exchange(String method, String path, String body, Duration t) {
        EngineHttp.Response r;
        try {
            r = http.exchange(method, PREFIX + path, body, t);
        } catch (java.net.SocketTimeoutException e) {
            throw new DockerApiException(
                    -2,
                    "Docker daemon at " + host.display() + " did not answer " + method + " " + path + " within "
                            + t.toSeconds() + "s");
        } catch (IOException e) {
            throw new DockerApiException(
                    -1,
                    "cannot reach the Docker daemon at " + host.display() + ": " + e.getMessage()
                            + " (is dockerd running? is DOCKER_HOST right?)");
        }
        if (r.status() >= 400) {
            JsonNode tree = parse(r.bytes());
            String msg = tree != null && tree.hasNonNull("message")
                    ? tree.get("message").asText()
                    : r.body().strip();
            throw new DockerApiException(
                    r.status(),
                    "Docker " + method + " " + path.replaceFirst("\\?.*", "") + ": " + msg + " (HTTP " + r.status()
                            + ")");
        }
        return r;
    }

    /** The answer's JSON, straight from its UTF-8 bytes (no String in between); a non-JSON answer as text. */
    private static JsonNode parse(byte[] body) {
        int i = 0;
        while (i < body.length && body[i] <= ' ') i++;
        if (i == body.length) return null;
        try {
            return Json.parse(body);
        } catch (IOException e) {
            return TextNode.valueOf(new String(body, StandardCharsets.UTF_8).strip());
        }
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : Json.write(n);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
