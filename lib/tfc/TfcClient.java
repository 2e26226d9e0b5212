package lib.tfc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lib.cli.ExitCode;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.http.Endpoint;
import lib.http.HttpTransport;
import lib.http.Response;
import lib.http.Retry;
import lib.http.RetryPolicy;
import lib.http.TransportException;
import lib.json.Json;
import lib.secret.Redactor;
import lib.secret.Secret;

/**
 * A small client of the HCP Terraform (Terraform Cloud) API v2 on lib/http's transport: the five calls the
 * sync needs. Requests and answers are JSON:API documents ({@code data} with {@code type}, {@code id},
 * {@code attributes}, {@code relationships}) sent as {@code application/vnd.api+json} with a Bearer token
 * (https://developer.hashicorp.com/terraform/cloud-docs/api-docs).
 *
 * <p>Errors are one line: 401/403 name the token, 404 names what was looked up (TFC also answers 404
 * when the token cannot see the object), 429 is retried after the {@code Retry-After} the API sends,
 * a bounded number of times. The token is only ever written into the Authorization header.
 */
public final class TfcClient {
    public static final String DEFAULT_API_URL = "https://app.terraform.io";
    public static final String MEDIA_TYPE = "application/vnd.api+json";

    private final HttpTransport http;
    private final int maxRetries;
    private final Retry retry;

    /** @param apiUrl the site, e.g. https://app.terraform.io (the client appends /api/v2) */
    public TfcClient(String apiUrl, Secret token) {
        this(apiUrl, token, 5, Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    /** Rate-limited calls are tried {@code maxRetries} more times, each waiting the API's Retry-After (at most {@code maxWait}). */
    public TfcClient(String apiUrl, Secret token, int maxRetries, Duration maxWait, Duration timeout) {
        this.http = HttpTransport.to(apiBase(apiUrl))
                .timeouts(Duration.ofSeconds(10), timeout)
                .accept(MEDIA_TYPE)
                .userAgent("pr-cybr-n0d3-tfc-sync/" + Version.VERSION)
                .authorization("Bearer", Optional.of(token));
        this.maxRetries = maxRetries;
        // without a Retry-After: 1 s, 2 s, 4 s ...
        this.retry = new Retry(
                maxRetries + 1, new RetryPolicy(Duration.ofSeconds(1), maxWait, false), s -> s == 429, false, true);
    }

    static URI apiBase(String apiUrl) {
        String s = apiUrl == null ? "" : apiUrl.strip().replaceAll("/+$", "");
        try {
            URI u = new URI(s);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return URI.create(s + "/api/v2");
        } catch (Exception e) {
            throw N0d3Exception.usage(
                    "--api-url: expected an http(s) URL such as " + DEFAULT_API_URL + ", got '" + apiUrl + "'");
        }
    }

    /** The site the API lives on (for links to runs in the web UI). */
    public String site() {
        String s = http.base().toString();
        return s.substring(0, s.length() - "/api/v2".length());
    }

    /** GET /organizations/:organization_name/workspaces/:name */
    public TfcWorkspace workspace(String organization, String name) {
        JsonNode doc = call(Endpoint.get(
                "/organizations/" + enc(organization) + "/workspaces/" + enc(name),
                "look up workspace '" + name + "' in organisation '" + organization + "'"));
        JsonNode data = doc.path("data");
        JsonNode a = data.path("attributes");
        return new TfcWorkspace(
                text(data, "id"),
                a.path("name").asText(name),
                organization,
                a.path("auto-apply").asBoolean(false));
    }

    /** GET /workspaces/:workspace_id/vars */
    public List<TfcVariable> variables(String workspaceId) {
        JsonNode doc = call(Endpoint.get(
                "/workspaces/" + enc(workspaceId) + "/vars", "list the variables of workspace " + workspaceId));
        List<TfcVariable> out = new ArrayList<>();
        for (JsonNode d : doc.path("data")) out.add(variable(d));
        return out;
    }

    /** POST /workspaces/:workspace_id/vars (a terraform-category, non-HCL, non-sensitive variable) */
    public TfcVariable createVariable(String workspaceId, String key, String value, String description) {
        ObjectNode data = Json.object().put("type", "vars");
        data.set("attributes", varAttributes(key, value, description));
        JsonNode doc = call(Endpoint.post(
                "/workspaces/" + enc(workspaceId) + "/vars",
                MEDIA_TYPE,
                document(data),
                "create variable '" + key + "' in workspace " + workspaceId));
        return variable(doc.path("data"));
    }

    /** PATCH /workspaces/:workspace_id/vars/:variable_id */
    public TfcVariable updateVariable(
            String workspaceId, String variableId, String key, String value, String description) {
        ObjectNode data = Json.object().put("id", variableId).put("type", "vars");
        data.set("attributes", varAttributes(key, value, description));
        JsonNode doc = call(Endpoint.patch(
                "/workspaces/" + enc(workspaceId) + "/vars/" + enc(variableId),
                MEDIA_TYPE,
                document(data),
                "update variable '" + key + "' (" + variableId + ") in workspace " + workspaceId));
        return variable(doc.path("data"));
    }

    /** POST /runs with auto-apply off: the run plans and waits for a person to confirm it. */
    public TfcRun createRun(String workspaceId, String message) {
        ObjectNode data = Json.object().put("type", "runs");
        data.putObject("attributes").put("message", message).put("auto-apply", false);
        data.putObject("relationships")
                .putObject("workspace")
                .putObject("data")
                .put("type", "workspaces")
                .put("id", workspaceId);
        JsonNode doc =
                call(Endpoint.post("/runs", MEDIA_TYPE, document(data), "queue a run in workspace " + workspaceId));
        JsonNode d = doc.path("data");
        return new TfcRun(
                text(d, "id"),
                d.path("attributes").path("status").asText("pending"),
                d.path("attributes").path("auto-apply").asBoolean(false));
    }

    private static ObjectNode varAttributes(String key, String value, String description) {
        return Json.object()
                .put("key", key)
                .put("value", value)
                .put("description", description)
                .put("category", "terraform")
                .put("hcl", false)
                .put("sensitive", false);
    }

    private static byte[] document(ObjectNode data) {
        ObjectNode doc = Json.object();
        doc.set("data", data);
        return Json.bytes(doc);
    }

    private static TfcVariable variable(JsonNode d) {
        JsonNode a = d.path("attributes");
        JsonNode value = a.path("value");
        return new TfcVariable(
                text(d, "id"),
                a.path("key").asText(),
                value.isNull() || value.isMissingNode() ? null : value.asText(),
                a.path("category").asText("terraform"),
                a.path("hcl").asBoolean(false),
                a.path("sensitive").asBoolean(false),
                a.path("description").isNull() ? null : a.path("description").asText(null));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw N0d3Exception.failure("TFC API: unexpected answer: no data." + field + " in the JSON:API document");
        }
        return v.asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(Endpoint e) {
        Log.debug("TFC API: " + e.method() + " " + http.uri(e.path()).getPath());
        Response r;
        try {
            r = http.send(
                    e,
                    retry,
                    (attempt, why, wait) -> Log.info("TFC API rate limit (429): waiting " + millis(wait)
                            + " before retry " + attempt + " of " + maxRetries));
        } catch (TransportException x) {
            throw N0d3Exception.failure(
                    "TFC API: cannot " + e.action() + ": " + site() + " unreachable (" + x.reason() + ")");
        }
        if (r.ok()) return parse(r.body(), e.action());
        if (r.status() == 429) {
            throw N0d3Exception.failure(
                    "TFC API: cannot " + e.action() + ": still rate limited (429) after " + maxRetries + " retries");
        }
        throw error(r, e);
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private JsonNode parse(String body, String what) {
        if (body == null || body.isBlank()) return Json.object();
        try {
            return Json.parse(body);
        } catch (IOException e) {
            throw N0d3Exception.failure("TFC API: cannot " + what + ": the answer is not JSON");
        }
    }

    private N0d3Exception error(Response r, Endpoint e) {
        String detail = errorDetail(r.body());
        String where = e.method() + " " + http.uri(e.path()).getPath();
        String what = e.action();
        return switch (r.status()) {
            case 401 ->
                new N0d3Exception(
                        ExitCode.USAGE,
                        "TFC API: cannot " + what + ": the token was rejected (401 Unauthorized at " + where
                                + "); check TFC_TOKEN or TFC_TOKEN_FILE");
            case 403 ->
                new N0d3Exception(
                        ExitCode.USAGE,
                        "TFC API: cannot " + what + ": the token is not allowed to (403 Forbidden at " + where + ")"
                                + detail);
            case 404 ->
                new N0d3Exception(
                        ExitCode.USAGE,
                        "TFC API: cannot " + what + ": not found (404 at " + where
                                + "); check the names, and that the token's team can access it");
            default ->
                N0d3Exception.failure("TFC API: cannot " + what + ": HTTP " + r.status() + " at " + where + detail);
        };
    }

    /** The first JSON:API error's title and detail, e.g. ": invalid attribute (Key has already been taken)". */
    private static String errorDetail(String body) {
        try {
            JsonNode e = Json.parse(body == null ? "" : body).path("errors").path(0);
            if (e.isMissingNode()) return "";
            String title = e.path("title").asText("");
            String detail = e.path("detail").asText("");
            String s = (title + (detail.isEmpty() ? "" : " (" + detail + ")")).strip();
            return s.isEmpty() ? "" : ": " + Redactor.redact(s.replaceAll("\\s+", " "));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
