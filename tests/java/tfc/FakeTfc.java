package tfc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import support.FakeHttp;
import support.FakeHttp.Answer;

/**
 * A loopback fake of the HCP Terraform (Terraform Cloud) API v2, for the five calls tfc_sync makes.
 * Terraform Cloud has no local counterpart, so the fake reproduces its JSON:API documents as the
 * API reference shows them:
 * <ul>
 * <li>Show workspace, GET /organizations/:org/workspaces/:name:
 *     https://developer.hashicorp.com/terraform/cloud-docs/api-docs/workspaces#show-workspace</li>
 * <li>List/create/update variables, GET|POST /workspaces/:id/vars, PATCH /workspaces/:id/vars/:var_id
 *     (data.type "vars"; attributes key, value, description, category, hcl, sensitive, version-id;
 *     relationships.configurable; links.self; 422 "Key has already been taken"):
 *     https://developer.hashicorp.com/terraform/cloud-docs/api-docs/workspace-variables</li>
 * <li>Create a run, POST /runs (attributes message, auto-apply; relationships.workspace.data):
 *     https://developer.hashicorp.com/terraform/cloud-docs/api-docs/run#create-a-run</li>
 * <li>Errors as {"errors":[{"status","title","detail"}]}, 401 for a bad token, 404 also for objects the
 *     token cannot see, 429 when the rate limit (30 requests/s) is hit:
 *     https://developer.hashicorp.com/terraform/cloud-docs/api-docs#authentication ,
 *     https://developer.hashicorp.com/terraform/cloud-docs/api-docs#rate-limiting</li>
 * </ul>
 * It runs on support.FakeHttp; every request is recorded (method, path, headers, body) for the tests to assert on.
 */
public final class FakeTfc implements AutoCloseable {
    static final String MEDIA_TYPE = "application/vnd.api+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORKSPACE = Pattern.compile("/api/v2/organizations/([^/]+)/workspaces/([^/]+)");
    private static final Pattern VARS = Pattern.compile("/api/v2/workspaces/([^/]+)/vars");
    private static final Pattern VAR = Pattern.compile("/api/v2/workspaces/([^/]+)/vars/([^/]+)");

    public record Request(
            String method, String path, String authorization, String contentType, String accept, JsonNode body) {}

    static final class Var {
        final String id;
        String key;
        String value;
        String description;
        String category;
        boolean hcl;
        boolean sensitive;
        int version;

        Var(String id, String key, String value, String category, boolean hcl, boolean sensitive) {
            this.id = id;
            this.key = key;
            this.value = value;
            this.category = category;
            this.hcl = hcl;
            this.sensitive = sensitive;
        }
    }

    private final FakeHttp server;
    private final String token;
    private final Map<String, String> workspaces = new LinkedHashMap<>(); // "org/name" -> ws id
    final Map<String, List<Var>> vars = new LinkedHashMap<>(); // ws id -> vars
    final List<JsonNode> runs = Collections.synchronizedList(new ArrayList<>());
    public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger(1000);
    /** The next N requests are answered 429 with this Retry-After (null: no header). */
    volatile int rateLimitNext;

    volatile String retryAfter = "1";

    public FakeTfc(String token) throws IOException {
        this.token = token;
        server = FakeHttp.http().on("/", this::handle);
    }

    public String url() {
        return server.url();
    }

    public String addWorkspace(String org, String name) {
        String id = "ws-" + name.replaceAll("[^A-Za-z0-9]", "") + "Fk" + ids.incrementAndGet();
        workspaces.put(org + "/" + name, id);
        vars.put(id, Collections.synchronizedList(new ArrayList<>()));
        return id;
    }

    Var addVar(String wsId, String key, String value, String category, boolean sensitive) {
        Var v = new Var("var-" + ids.incrementAndGet() + "Fake", key, value, category, false, sensitive);
        vars.get(wsId).add(v);
        return v;
    }

    Var var(String wsId, String key, String category) {
        return vars.get(wsId).stream()
                .filter(v -> v.key.equals(key) && v.category.equals(category))
                .findFirst()
                .orElse(null);
    }

    public List<Request> requests(String method) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.method.equals(method)).toList();
        }
    }

    @Override
    public void close() {
        server.close();
    }

    private Answer handle(FakeHttp.Request ex) throws IOException {
        String method = ex.method();
        String path = ex.path();
        JsonNode body = ex.body().length == 0 ? null : JSON.readTree(ex.body());
        requests.add(new Request(
                method, path, ex.header("Authorization"), ex.header("Content-Type"), ex.header("Accept"), body));
        try {
            if (rateLimitNext > 0) {
                rateLimitNext--;
                Answer limited = send(429, error("429", "Too many requests", "You have exceeded the API's rate limit."))
                        .header("X-RateLimit-Limit", "30");
                return retryAfter == null ? limited : limited.header("Retry-After", retryAfter);
            }
            if (!("Bearer " + token).equals(ex.header("Authorization")))
                return send(401, error("401", "unauthorized", null));
            if (body != null && !MEDIA_TYPE.equals(ex.header("Content-Type"))) {
                return send(415, error("415", "unsupported media type", "Content-Type must be " + MEDIA_TYPE));
            }
            return route(method, path, body);
        } catch (RuntimeException e) {
            return send(500, error("500", "internal fake error", e.toString()));
        }
    }

    private Answer route(String method, String path, JsonNode body) {
        Matcher m;
        if (method.equals("GET") && (m = WORKSPACE.matcher(path)).matches()) {
            String id = workspaces.get(m.group(1) + "/" + m.group(2));
            if (id == null) {
                return send(404, error("404", "not found", null));
            }
            ObjectNode data = JSON.createObjectNode().put("id", id).put("type", "workspaces");
            data.putObject("attributes")
                    .put("name", m.group(2))
                    .put("auto-apply", false)
                    .put("execution-mode", "remote")
                    .put("terraform-version", "1.11.4")
                    .put("working-directory", "infra")
                    .put("locked", false);
            data.putObject("relationships")
                    .putObject("organization")
                    .putObject("data")
                    .put("id", m.group(1))
                    .put("type", "organizations");
            data.putObject("links").put("self", "/api/v2/organizations/" + m.group(1) + "/workspaces/" + m.group(2));
            return send(200, doc(data));
        } else if ((m = VARS.matcher(path)).matches() && (method.equals("GET") || method.equals("POST"))) {
            List<Var> list = vars.get(m.group(1));
            if (list == null) {
                return send(404, error("404", "not found", null));
            }
            if (method.equals("GET")) {
                ObjectNode d = JSON.createObjectNode();
                var arr = d.putArray("data");
                synchronized (list) {
                    for (Var v : list) arr.add(varData(m.group(1), v));
                }
                return send(200, d);
            }
            JsonNode data = body == null ? null : body.path("data");
            if (data == null
                    || !"vars".equals(data.path("type").asText())
                    || !data.path("attributes").hasNonNull("key")) {
                return send(
                        422,
                        error(
                                "422",
                                "invalid attribute",
                                "data.type must be vars and data.attributes.key is required"));
            }
            JsonNode a = data.path("attributes");
            String category = a.path("category").asText("");
            if (!category.equals("terraform") && !category.equals("env")) {
                return send(422, error("422", "invalid attribute", "Category must be one of: terraform, env"));
            }
            if (var(m.group(1), a.path("key").asText(), category) != null) {
                return send(422, error("422", "invalid attribute", "Key has already been taken"));
            }
            Var v = new Var(
                    "var-" + ids.incrementAndGet() + "New",
                    a.path("key").asText(),
                    a.path("value").asText(""),
                    category,
                    a.path("hcl").asBoolean(false),
                    a.path("sensitive").asBoolean(false));
            v.description = a.path("description").asText("");
            list.add(v);
            return send(201, doc(varData(m.group(1), v)));
        } else if (method.equals("PATCH") && (m = VAR.matcher(path)).matches()) {
            List<Var> list = vars.get(m.group(1));
            String varId = m.group(2);
            Var v = list == null
                    ? null
                    : list.stream().filter(x -> x.id.equals(varId)).findFirst().orElse(null);
            if (v == null) {
                return send(404, error("404", "not found", null));
            }
            JsonNode data = body == null ? null : body.path("data");
            if (data == null
                    || !"vars".equals(data.path("type").asText())
                    || !m.group(2).equals(data.path("id").asText())) {
                return send(
                        422,
                        error("422", "invalid attribute", "data.type must be vars and data.id must match the URL"));
            }
            JsonNode a = data.path("attributes");
            if (a.has("key")) v.key = a.get("key").asText();
            if (a.has("value")) v.value = a.get("value").asText();
            if (a.has("description")) v.description = a.get("description").asText();
            if (a.has("category")) v.category = a.get("category").asText();
            if (a.has("hcl")) v.hcl = a.get("hcl").asBoolean();
            if (a.has("sensitive")) v.sensitive = a.get("sensitive").asBoolean();
            v.version++;
            return send(200, doc(varData(m.group(1), v)));
        } else if (method.equals("POST") && path.equals("/api/v2/runs")) {
            JsonNode data = body == null ? null : body.path("data");
            String wsId = data == null
                    ? ""
                    : data.path("relationships")
                            .path("workspace")
                            .path("data")
                            .path("id")
                            .asText("");
            if (data == null || !"runs".equals(data.path("type").asText()) || !vars.containsKey(wsId)) {
                return send(404, error("404", "not found", "workspace relationship missing or unknown"));
            }
            runs.add(data);
            String id = "run-" + ids.incrementAndGet() + "Fake";
            ObjectNode d = JSON.createObjectNode().put("id", id).put("type", "runs");
            d.putObject("attributes")
                    .put("status", "pending")
                    .put("message", data.path("attributes").path("message").asText(""))
                    .put(
                            "auto-apply",
                            data.path("attributes").path("auto-apply").asBoolean(false))
                    .put("is-destroy", false)
                    .put("source", "tfe-api")
                    .put("has-changes", false);
            d.putObject("relationships")
                    .putObject("workspace")
                    .putObject("data")
                    .put("id", wsId)
                    .put("type", "workspaces");
            d.putObject("links").put("self", "/api/v2/runs/" + id);
            return send(201, doc(d));
        } else {
            return send(404, error("404", "not found", null));
        }
    }

    private static ObjectNode varData(String wsId, Var v) {
        ObjectNode d = JSON.createObjectNode().put("id", v.id).put("type", "vars");
        ObjectNode a = d.putObject("attributes").put("key", v.key);
        if (v.sensitive) a.putNull("value");
        else a.put("value", v.value);
        a.put("sensitive", v.sensitive)
                .put("category", v.category)
                .put("hcl", v.hcl)
                .put("created-at", "2026-11-01T10:00:00.000Z")
                .put("description", v.description)
                .put("version-id", Integer.toHexString(v.id.hashCode()) + "v" + v.version);
        ObjectNode conf = d.putObject("relationships").putObject("configurable");
        conf.putObject("data").put("id", wsId).put("type", "workspaces");
        conf.putObject("links").put("related", "/api/v2/workspaces/" + wsId);
        d.putObject("links").put("self", "/api/v2/workspaces/" + wsId + "/vars/" + v.id);
        return d;
    }

    private static ObjectNode doc(ObjectNode data) {
        ObjectNode d = JSON.createObjectNode();
        d.set("data", data);
        return d;
    }

    private static ObjectNode error(String status, String title, String detail) {
        ObjectNode d = JSON.createObjectNode();
        ObjectNode e = d.putArray("errors").addObject().put("status", status).put("title", title);
        if (detail != null) e.put("detail", detail);
        return d;
    }

    private static Answer send(int status, JsonNode body) {
        return Answer.text(status, MEDIA_TYPE, body.toString());
    }
}
