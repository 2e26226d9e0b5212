package lib.tfc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lib.cli.ExitCode;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.secret.Redactor;
import lib.secret.Secret;

/**
 * A small client of the HCP Terraform (Terraform Cloud) API v2 over the JDK's HttpClient: the five
 * calls the sync needs. Requests and answers are JSON:API documents ({@code data} with {@code type},
 * {@code id}, {@code attributes}, {@code relationships}) sent as {@code application/vnd.api+json}
 * with a Bearer token (https://developer.hashicorp.com/terraform/cloud-docs/api-docs).
 *
 * <p>Errors are one line: 401/403 name the token, 404 names what was looked up (TFC also answers 404
 * when the token cannot see the object), 429 is retried after the {@code Retry-After} the API sends,
 * a bounded number of times. The token is only ever written into the Authorization header.
 */
public final class TfcClient {
    public static final String DEFAULT_API_URL = "https://app.terraform.io";
    public static final String MEDIA_TYPE = "application/vnd.api+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Secret token;
    private final HttpClient http;
    private final int maxRetries;
    private final Duration maxWait;
    private final Duration timeout;

    /** @param apiUrl the site, e.g. https://app.terraform.io (the client appends /api/v2) */
    public TfcClient(String apiUrl, Secret token) {
        this(apiUrl, token, 5, Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    public TfcClient(String apiUrl, Secret token, int maxRetries, Duration maxWait, Duration timeout) {
        this.base = apiBase(apiUrl);
        this.token = token;
        this.maxRetries = maxRetries;
        this.maxWait = maxWait;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
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
            throw N0d3Exception.usage("--api-url: expected an http(s) URL such as " + DEFAULT_API_URL + ", got '" + apiUrl + "'");
        }
    }

    /** The site the API lives on (for links to runs in the web UI). */
    public String site() {
        String s = base.toString();
        return s.substring(0, s.length() - "/api/v2".length());
    }

    /** GET /organizations/:organization_name/workspaces/:name */
    public TfcWorkspace workspace(String organization, String name) {
        JsonNode doc = send("GET", "/organizations/" + enc(organization) + "/workspaces/" + enc(name), null,
                "look up workspace '" + name + "' in organisation '" + organization + "'");
        JsonNode data = doc.path("data");
        JsonNode a = data.path("attributes");
        return new TfcWorkspace(text(data, "id"), a.path("name").asText(name), organization, a.path("auto-apply").asBoolean(false));
    }

    /** GET /workspaces/:workspace_id/vars */
    public List<TfcVariable> variables(String workspaceId) {
        JsonNode doc = send("GET", "/workspaces/" + enc(workspaceId) + "/vars", null,
                "list the variables of workspace " + workspaceId);
        List<TfcVariable> out = new ArrayList<>();
        for (JsonNode d : doc.path("data")) out.add(variable(d));
        return out;
    }

    /** POST /workspaces/:workspace_id/vars (a terraform-category, non-HCL, non-sensitive variable) */
    public TfcVariable createVariable(String workspaceId, String key, String value, String description) {
        ObjectNode data = JSON.createObjectNode().put("type", "vars");
        data.set("attributes", varAttributes(key, value, description));
        JsonNode doc = send("POST", "/workspaces/" + enc(workspaceId) + "/vars", document(data),
                "create variable '" + key + "' in workspace " + workspaceId);
        return variable(doc.path("data"));
    }

    /** PATCH /workspaces/:workspace_id/vars/:variable_id */
    public TfcVariable updateVariable(String workspaceId, String variableId, String key, String value, String description) {
        ObjectNode data = JSON.createObjectNode().put("id", variableId).put("type", "vars");
        data.set("attributes", varAttributes(key, value, description));
        JsonNode doc = send("PATCH", "/workspaces/" + enc(workspaceId) + "/vars/" + enc(variableId), document(data),
                "update variable '" + key + "' (" + variableId + ") in workspace " + workspaceId);
        return variable(doc.path("data"));
    }

    /** POST /runs with auto-apply off: the run plans and waits for a person to confirm it. */
    public TfcRun createRun(String workspaceId, String message) {
        ObjectNode data = JSON.createObjectNode().put("type", "runs");
        data.putObject("attributes").put("message", message).put("auto-apply", false);
        data.putObject("relationships").putObject("workspace").putObject("data")
                .put("type", "workspaces").put("id", workspaceId);
        JsonNode doc = send("POST", "/runs", document(data), "queue a run in workspace " + workspaceId);
        JsonNode d = doc.path("data");
        return new TfcRun(text(d, "id"), d.path("attributes").path("status").asText("pending"),
                d.path("attributes").path("auto-apply").asBoolean(false));
    }

    private static ObjectNode varAttributes(String key, String value, String description) {
        return JSON.createObjectNode()
                .put("key", key)
                .put("value", value)
                .put("description", description)
                .put("category", "terraform")
                .put("hcl", false)
                .put("sensitive", false);
    }

    private static ObjectNode document(ObjectNode data) {
        ObjectNode doc = JSON.createObjectNode();
        doc.set("data", data);
        return doc;
    }

    private static TfcVariable variable(JsonNode d) {
        JsonNode a = d.path("attributes");
        JsonNode value = a.path("value");
        return new TfcVariable(text(d, "id"), a.path("key").asText(), value.isNull() || value.isMissingNode() ? null : value.asText(),
                a.path("category").asText("terraform"), a.path("hcl").asBoolean(false), a.path("sensitive").asBoolean(false),
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

    private JsonNode send(String method, String path, JsonNode body, String what) {
        URI uri = URI.create(base + path);
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token.reveal())
                .header("Accept", MEDIA_TYPE)
                .header("User-Agent", "pr-cybr-n0d3-tfc-sync/" + Version.VERSION);
        if (body == null) {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            rb.header("Content-Type", MEDIA_TYPE);
            rb.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpRequest request = rb.build();
        for (int attempt = 0; ; attempt++) {
            Log.debug("TFC API: " + method + " " + uri.getPath());
            HttpResponse<String> resp;
            try {
                resp = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw N0d3Exception.failure("TFC API: cannot " + what + ": " + site() + " unreachable ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw N0d3Exception.failure("TFC API: interrupted while trying to " + what);
            }
            int status = resp.statusCode();
            if (status / 100 == 2) return parse(resp.body(), what);
            if (status == 429) {
                if (attempt >= maxRetries) {
                    throw N0d3Exception.failure("TFC API: cannot " + what + ": still rate limited (429) after "
                            + maxRetries + " retries");
                }
                Duration wait = retryAfter(resp, attempt);
                Log.info("TFC API rate limit (429): waiting " + millis(wait) + " before retry " + (attempt + 1) + " of " + maxRetries);
                sleep(wait);
                continue;
            }
            throw error(status, resp.body(), method, uri, what);
        }
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private JsonNode parse(String body, String what) {
        if (body == null || body.isBlank()) return JSON.createObjectNode();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw N0d3Exception.failure("TFC API: cannot " + what + ": the answer is not JSON");
        }
    }

    /** Retry-After in seconds or as an HTTP date; else X-RateLimit-Reset (seconds); else 1 s, 2 s, 4 s ... */
    Duration retryAfter(HttpResponse<?> resp, int attempt) {
        Duration wait = null;
        Optional<String> ra = resp.headers().firstValue("Retry-After");
        if (ra.isPresent()) {
            String v = ra.get().strip();
            try {
                wait = Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
            } catch (NumberFormatException e) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    if (wait.isNegative()) wait = Duration.ZERO;
                } catch (RuntimeException ignored) {
                    wait = null;
                }
            }
        }
        if (wait == null) {
            Optional<String> reset = resp.headers().firstValue("X-RateLimit-Reset");
            if (reset.isPresent()) {
                try {
                    wait = Duration.ofMillis((long) Math.ceil(Double.parseDouble(reset.get().strip()) * 1000));
                } catch (NumberFormatException ignored) {
                    wait = null;
                }
            }
        }
        if (wait == null) wait = Duration.ofSeconds(1L << Math.min(attempt, 5));
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw N0d3Exception.failure("TFC API: interrupted while waiting for the rate limit");
        }
    }

    private N0d3Exception error(int status, String body, String method, URI uri, String what) {
        String detail = errorDetail(body);
        String where = method + " " + uri.getPath();
        return switch (status) {
            case 401 -> new N0d3Exception(ExitCode.USAGE, "TFC API: cannot " + what + ": the token was rejected (401 Unauthorized at "
                    + where + "); check TFC_TOKEN or TFC_TOKEN_FILE");
            case 403 -> new N0d3Exception(ExitCode.USAGE, "TFC API: cannot " + what + ": the token is not allowed to (403 Forbidden at "
                    + where + ")" + detail);
            case 404 -> new N0d3Exception(ExitCode.USAGE, "TFC API: cannot " + what + ": not found (404 at " + where
                    + "); check the names, and that the token's team can access it");
            default -> N0d3Exception.failure("TFC API: cannot " + what + ": HTTP " + status + " at " + where + detail);
        };
    }

    /** The first JSON:API error's title and detail, e.g. ": invalid attribute (Key has already been taken)". */
    private static String errorDetail(String body) {
        try {
            JsonNode e = JSON.readTree(body == null ? "" : body).path("errors").path(0);
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
