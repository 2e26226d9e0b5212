package configs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * configs/traefik/traefik.yml and dynamic.yml: valid against the SchemaStore Traefik v3 schemas kept in
 * ../shared/schemas (never a private copy), free of dangling references and of v2-only names, and carrying
 * what issue 7 asks for. Each check is shown to fail on a broken copy of the real files. The schema checks are
 * skipped, with the reason, in a clone that has no ../shared beside it (support.Shared).
 */
class TraefikConfigTest {
    static final String STATIC_SCHEMA = "traefik-v3.json";
    static final String DYNAMIC_SCHEMA = "traefik-v3-file-provider.json";

    static JsonNode staticConfig() {
        return Repo.yaml(Repo.file("configs/traefik/traefik.yml"));
    }

    static JsonNode dynamicConfig() {
        return Repo.yaml(Repo.file("configs/traefik/dynamic.yml"));
    }

    static JsonSchema schema(String name) {
        return SchemaCheck.load(Repo.sharedSchema(name));
    }

    @Test
    void staticFileIsValidAgainstTheSharedTraefikV3Schema() {
        assertEquals(List.of(), SchemaCheck.problems(schema(STATIC_SCHEMA), staticConfig()));
    }

    @Test
    void dynamicFileIsValidAgainstTheSharedFileProviderSchema() {
        assertEquals(List.of(), SchemaCheck.problems(schema(DYNAMIC_SCHEMA), dynamicConfig()));
    }

    /** The static schema leaves its top level open; a misspelt section would pass it, so check the names too. */
    @Test
    void staticTopLevelSectionsAreOnesTheSchemaKnows() {
        Set<String> known = new java.util.HashSet<>();
        Repo.json(Repo.sharedSchema(STATIC_SCHEMA))
                .path("properties")
                .fieldNames()
                .forEachRemaining(known::add);
        List<String> unknown = new ArrayList<>();
        staticConfig().fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) unknown.add(k);
        });
        assertEquals(List.of(), unknown, "top-level keys of traefik.yml unknown to " + STATIC_SCHEMA);
    }

    @Test
    void everyReferenceIsDefinedAndNoV2NameIsUsed() {
        assertEquals(List.of(), TraefikReferences.check(staticConfig(), dynamicConfig()));
    }

    static Stream<Arguments> brokenReferences() {
        return Stream.of(
                Arguments.of(
                        "router entry point",
                        (Consumer<Fixture>) f -> arr(f.dyn, "/http/routers/dashboard/entryPoints")
                                .set(0, "ssh"),
                        "dynamic.yml http.routers.dashboard.entryPoints: entry point 'ssh' is not defined"),
                Arguments.of(
                        "router middleware",
                        (Consumer<Fixture>) f ->
                                arr(f.dyn, "/http/routers/health/middlewares").add("no-such-mw"),
                        "dynamic.yml http.routers.health.middlewares: middleware 'no-such-mw' is not defined"),
                Arguments.of(
                        "chain member",
                        (Consumer<Fixture>) f -> arr(f.dyn, "/http/middlewares/protected/chain/middlewares")
                                .add("gone"),
                        "dynamic.yml http.middlewares.protected.chain.middlewares: middleware 'gone' is not defined"),
                Arguments.of(
                        "router service",
                        (Consumer<Fixture>)
                                f -> obj(f.dyn, "/http/routers/health").put("service", "backend"),
                        "dynamic.yml http.routers.health.service: service 'backend' is not defined"),
                Arguments.of(
                        "internal service",
                        (Consumer<Fixture>)
                                f -> obj(f.dyn, "/http/routers/health").put("service", "pong@internal"),
                        "dynamic.yml http.routers.health.service: service 'pong@internal' is not one of Traefik's own"),
                Arguments.of(
                        "router TLS option",
                        (Consumer<Fixture>)
                                f -> obj(f.dyn, "/http/routers/dashboard/tls").put("options", "intermediate"),
                        "dynamic.yml http.routers.dashboard.tls.options: TLS option 'intermediate' is not defined"),
                Arguments.of(
                        "router cert resolver",
                        (Consumer<Fixture>)
                                f -> obj(f.dyn, "/http/routers/dashboard/tls").put("certResolver", "le"),
                        "dynamic.yml http.routers.dashboard.tls.certResolver: certificate resolver 'le' is not defined"),
                Arguments.of(
                        "entry-point cert resolver",
                        (Consumer<Fixture>) f ->
                                obj(f.stat, "/entryPoints/websecure/http/tls").put("certResolver", "acme"),
                        "traefik.yml entryPoints.websecure.http.tls.certResolver: certificate resolver 'acme' is not defined"),
                Arguments.of(
                        "entry-point middleware",
                        (Consumer<Fixture>) f -> arr(f.stat, "/entryPoints/websecure/http/middlewares")
                                .set(0, "headers@file"),
                        "traefik.yml entryPoints.websecure.http.middlewares: middleware 'headers' is not defined"),
                Arguments.of(
                        "unqualified entry-point middleware",
                        (Consumer<Fixture>) f -> arr(f.stat, "/entryPoints/websecure/http/middlewares")
                                .set(0, "security-headers"),
                        "must name its provider (security-headers@file)"),
                Arguments.of(
                        "redirect target",
                        (Consumer<Fixture>) f -> obj(f.stat, "/entryPoints/web/http/redirections/entryPoint")
                                .put("to", "https"),
                        "traefik.yml entryPoints.web.http.redirections.entryPoint.to: entry point 'https' is not defined"),
                Arguments.of(
                        "ACME challenge entry point",
                        (Consumer<Fixture>) f -> obj(f.stat, "/certificatesResolvers/letsencrypt/acme/httpChallenge")
                                .put("entryPoint", "http"),
                        "acme.httpChallenge.entryPoint: entry point 'http' is not defined"),
                Arguments.of(
                        "removed entry point",
                        (Consumer<Fixture>) f -> obj(f.stat, "/entryPoints").remove("metrics"),
                        "traefik.yml ping.entryPoint: entry point 'metrics' is not defined"),
                Arguments.of(
                        "v2 ipWhiteList",
                        (Consumer<Fixture>) f -> obj(f.dyn, "/http/middlewares")
                                .set(
                                        "old",
                                        Repo.YAML.createObjectNode().set("ipWhiteList", Repo.YAML.createObjectNode())),
                        "'ipWhiteList' is a Traefik v2 name"),
                Arguments.of(
                        "v2 swarmMode",
                        (Consumer<Fixture>) f -> obj(f.stat, "/providers")
                                .set("docker", Repo.YAML.createObjectNode().put("swarmMode", true)),
                        "'swarmMode' is a Traefik v2 name"),
                Arguments.of(
                        "v2 rule syntax",
                        (Consumer<Fixture>)
                                f -> obj(f.dyn, "/http/routers/health").put("rule", "Host(`a.example`, `b.example`)"),
                        "v2 rule syntax"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenReferences")
    void aBrokenReferenceIsReported(String what, Consumer<Fixture> breakIt, String expected) {
        Fixture f = new Fixture();
        breakIt.accept(f);
        List<String> problems = TraefikReferences.check(f.stat, f.dyn);
        assertTrue(
                problems.stream().anyMatch(p -> p.contains(expected)),
                what + ": expected a problem containing <" + expected + ">, got " + problems);
    }

    @Test
    void theSchemasRejectABrokenStaticAndDynamicFile() {
        Fixture f = new Fixture();
        obj(f.stat, "/providers/swarm").put("exposedByDefault", "no");
        obj(f.stat, "/entryPoints/web").put("adress", ":80");
        List<String> s = SchemaCheck.problems(schema(STATIC_SCHEMA), f.stat);
        assertTrue(s.stream().anyMatch(p -> p.startsWith("/providers/swarm/exposedByDefault")), s.toString());
        assertTrue(s.stream().anyMatch(p -> p.contains("adress")), s.toString());

        obj(f.dyn, "/http/routers/health").remove("service");
        obj(f.dyn, "/tls/options/default").put("minVersion", 12);
        List<String> d = SchemaCheck.problems(schema(DYNAMIC_SCHEMA), f.dyn);
        assertTrue(
                d.stream().anyMatch(p -> p.startsWith("/http/routers/health") && p.contains("service")), d.toString());
        assertTrue(d.stream().anyMatch(p -> p.startsWith("/tls/options/default/minVersion")), d.toString());
    }

    @Test
    void entryPointsRedirectAndAcmeAreAsSpecified() {
        JsonNode s = staticConfig();
        assertEquals(Set.of("web", "websecure", "metrics"), names(s.path("entryPoints")));
        assertEquals(":80", s.at("/entryPoints/web/address").asText());
        assertEquals(":443", s.at("/entryPoints/websecure/address").asText());
        JsonNode redirect = s.at("/entryPoints/web/http/redirections/entryPoint");
        assertEquals("websecure", redirect.path("to").asText());
        assertEquals("https", redirect.path("scheme").asText());
        JsonNode acme = s.at("/certificatesResolvers/letsencrypt/acme");
        assertFalse(acme.path("email").asText().isBlank(), "ACME email");
        assertTrue(acme.path("storage").asText().startsWith("/"), "ACME storage is an absolute path");
        assertFalse(s.has("tcp"), "no TCP section in the static file");
    }

    @Test
    void providersAreTheV3SwarmProviderAndTheFileProvider() {
        JsonNode p = staticConfig().path("providers");
        assertEquals(Set.of("swarm", "file"), names(p));
        assertEquals("traefik-public", p.at("/swarm/network").asText());
        assertFalse(p.at("/swarm/exposedByDefault").asBoolean(true), "exposedByDefault must be false");
        assertEquals("/etc/traefik/dynamic.yml", p.at("/file/filename").asText());
    }

    @Test
    void observabilityIsJsonLogsAccessLogsPrometheusAndPing() {
        JsonNode s = staticConfig();
        assertEquals("json", s.at("/log/format").asText());
        assertEquals("json", s.at("/accessLog/format").asText());
        assertEquals(
                "drop",
                s.at("/accessLog/fields/headers/defaultMode").asText(),
                "request headers (Authorization...) are not logged");
        assertEquals("metrics", s.at("/metrics/prometheus/entryPoint").asText());
        assertEquals("metrics", s.at("/ping/entryPoint").asText());
        assertFalse(s.at("/api/insecure").asBoolean(false), "the API is never served insecurely");
    }

    @Test
    void theDashboardIsProtectedWithoutShippedCredentials() {
        JsonNode d = dynamicConfig();
        JsonNode router = d.at("/http/routers/dashboard");
        assertEquals("api@internal", router.path("service").asText());
        List<JsonNode> chain = expand(d, router.path("middlewares"));
        JsonNode auth = chain.stream()
                .filter(m -> m.has("basicAuth") || m.has("forwardAuth"))
                .findFirst()
                .orElse(null);
        assertTrue(auth != null, "the dashboard router has basicAuth or forwardAuth");
        if (auth.has("basicAuth")) {
            assertFalse(auth.path("basicAuth").has("users"), "no inline users (default credentials) in the repo");
            assertTrue(
                    auth.at("/basicAuth/usersFile").asText().startsWith("/run/secrets/"),
                    "users come from a docker secret");
        }
        assertTrue(
                chain.stream().anyMatch(m -> m.has("ipAllowList")),
                "the dashboard is reachable from the overlays only");
        assertTrue(chain.stream().anyMatch(m -> m.has("rateLimit")), "the dashboard is rate limited");
    }

    @Test
    void healthGoesToPingInternal() {
        JsonNode r = dynamicConfig().at("/http/routers/health");
        assertEquals("Path(`/health`)", r.path("rule").asText());
        assertEquals("ping@internal", r.path("service").asText());
    }

    @Test
    void middlewaresCoverRateLimitHeadersAllowListAndCompression() {
        JsonNode mws = dynamicConfig().at("/http/middlewares");
        Set<String> kinds = new java.util.HashSet<>();
        mws.forEach(m -> m.fieldNames().forEachRemaining(kinds::add));
        assertTrue(
                kinds.containsAll(Set.of("rateLimit", "headers", "ipAllowList", "compress", "basicAuth", "chain")),
                kinds.toString());
        JsonNode ranges = mws.at("/overlay-only/ipAllowList/sourceRange");
        List<String> r = new ArrayList<>();
        ranges.forEach(n -> r.add(n.asText()));
        assertTrue(r.contains("100.64.0.0/10"), "Tailscale CGNAT range: " + r);
        assertTrue(r.stream().anyMatch(x -> x.startsWith("10.147.")), "ZeroTier managed range: " + r);
        assertTrue(mws.at("/security-headers/headers/stsSeconds").asInt() >= 31536000, "HSTS for a year at least");
    }

    @Test
    void tlsOptionsRequireTls12WithForwardSecretAeadCiphersOnly() {
        JsonNode def = dynamicConfig().at("/tls/options/default");
        assertEquals("VersionTLS12", def.path("minVersion").asText());
        assertTrue(def.path("cipherSuites").size() >= 4, "a curated list, not Go's full default");
        for (JsonNode c : def.path("cipherSuites")) {
            String s = c.asText();
            assertTrue(
                    s.startsWith("TLS_ECDHE_") && (s.contains("_GCM_") || s.contains("CHACHA20_POLY1305")),
                    "not forward-secret AEAD: " + s);
        }
    }

    @Test
    void theOverlayAllowListCoversEveryZeroTierRouteAndTheTailscaleRange() {
        List<String> ranges = new ArrayList<>();
        dynamicConfig()
                .at("/http/middlewares/overlay-only/ipAllowList/sourceRange")
                .forEach(n -> ranges.add(n.asText()));
        List<String> wanted = new ArrayList<>(List.of("100.64.0.0/10"));
        Repo.yaml(Repo.file("configs/zerotier/network.conf")).path("routes").forEach(n -> wanted.add(n.asText()));
        for (String w : wanted) {
            assertTrue(
                    ranges.stream().anyMatch(r -> Cidr.covers(r, w)), w + " is not covered by overlay-only " + ranges);
        }
        assertFalse(Cidr.covers("10.147.16.0/20", "10.148.0.0/24"));
        assertTrue(Cidr.covers("10.147.16.0/20", "10.147.20.0/24"));
    }

    /** IPv4 CIDR containment (IPv6 ranges never cover an IPv4 one). */
    static final class Cidr {
        static boolean covers(String outer, String inner) {
            if (outer.contains(":") || inner.contains(":")) return outer.equals(inner);
            String[] o = outer.split("/");
            String[] i = inner.split("/");
            int op = Integer.parseInt(o[1]);
            int ip = Integer.parseInt(i[1]);
            if (ip < op) return false;
            long mask = op == 0 ? 0 : (0xFFFFFFFFL << (32 - op)) & 0xFFFFFFFFL;
            return (addr(o[0]) & mask) == (addr(i[0]) & mask);
        }

        static long addr(String dotted) {
            long a = 0;
            for (String part : dotted.split("\\.")) a = (a << 8) | Integer.parseInt(part);
            return a;
        }
    }

    /** The router's middlewares with chains flattened. */
    static List<JsonNode> expand(JsonNode dyn, JsonNode names) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : names) {
            JsonNode m = dyn.at("/http/middlewares/" + n.asText().replaceFirst("@file$", ""));
            out.add(m);
            if (m.has("chain")) out.addAll(expand(dyn, m.at("/chain/middlewares")));
        }
        return out;
    }

    static Set<String> names(JsonNode n) {
        Set<String> s = new java.util.HashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    static ObjectNode obj(JsonNode root, String ptr) {
        return (ObjectNode) root.at(ptr);
    }

    static ArrayNode arr(JsonNode root, String ptr) {
        return (ArrayNode) root.at(ptr);
    }

    /** Fresh copies of the real files, to break one thing in. */
    static final class Fixture {
        final JsonNode stat = staticConfig();
        final JsonNode dyn = dynamicConfig();
    }
}
