package configs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reference integrity of a Traefik v3 static + file-provider pair: every entry point, middleware, service,
 * TLS option and certificate resolver that one place names is defined in another. The JSON Schemas cannot
 * see this (a router naming a middleware that does not exist is schema-valid, and Traefik only logs it at
 * run time), hence this check. Also flags names that Traefik v3 removed.
 *
 * <p>Name resolution follows Traefik: {@code NAME@file} is defined in the dynamic file, {@code NAME@internal}
 * is one of Traefik's own, a bare name in the dynamic file means its own provider (file). A bare name in the
 * static file (entry-point middlewares) would be resolved in each router's provider, so it must be qualified.
 */
public final class TraefikReferences {
    /** Services Traefik provides itself (api, dashboard, ping, prometheus, noop). */
    static final Set<String> INTERNAL_SERVICES = Set.of("api", "dashboard", "ping", "prometheus", "noop");
    /** Option and field names that existed in v2 and are gone (or renamed) in v3. */
    static final Set<String> V2_ONLY = Set.of(
            "ipWhiteList",
            "swarmMode",
            "swarmModeRefreshSeconds",
            "caOptional",
            "sslRedirect",
            "sslTemporaryRedirect",
            "sslHost",
            "sslForceHost",
            "featurePolicy",
            "pilot",
            "forceSlash");
    /** v2 rule matchers that v3's default syntax rejects. */
    static final Pattern V2_RULE = Pattern.compile(
            "\\b(Headers|HeadersRegexp|HostHeader)\\(|\\b(Host|HostSNI|Path|PathPrefix)\\(`[^`]*`\\s*,|HostRegexp\\(`[^`]*\\{");

    private final JsonNode stat;
    private final JsonNode dyn;
    private final List<String> problems = new ArrayList<>();

    private TraefikReferences(JsonNode stat, JsonNode dyn) {
        this.stat = stat;
        this.dyn = dyn;
    }

    /** All problems found, one line each naming where the reference is and what is missing; empty when sound. */
    public static List<String> check(JsonNode staticConfig, JsonNode dynamicConfig) {
        TraefikReferences r = new TraefikReferences(staticConfig, dynamicConfig);
        r.run();
        return r.problems;
    }

    private void run() {
        Set<String> entryPoints = keys(stat.path("entryPoints"));
        Set<String> resolvers = keys(stat.path("certificatesResolvers"));
        Set<String> tlsOptions = keys(dyn.path("tls").path("options"));
        tlsOptions.add("default"); // Traefik always has a "default" TLS option

        // static file
        for (Map.Entry<String, JsonNode> ep : stat.path("entryPoints").properties()) {
            String at = "traefik.yml entryPoints." + ep.getKey();
            JsonNode http = ep.getValue().path("http");
            JsonNode to = http.path("redirections").path("entryPoint").path("to");
            if (!to.isMissingNode())
                ref(at + ".http.redirections.entryPoint.to", "entry point", to.asText(), entryPoints);
            JsonNode tls = http.path("tls");
            if (tls.has("certResolver"))
                ref(
                        at + ".http.tls.certResolver",
                        "certificate resolver",
                        tls.get("certResolver").asText(),
                        resolvers);
            if (tls.has("options"))
                qualified(
                        at + ".http.tls.options",
                        "TLS option",
                        tls.get("options").asText(),
                        tlsOptions,
                        Set.of());
            for (JsonNode m : http.path("middlewares")) {
                qualified(
                        at + ".http.middlewares",
                        "middleware",
                        m.asText(),
                        keys(dyn.path("http").path("middlewares")),
                        Set.of());
            }
        }
        for (Map.Entry<String, JsonNode> cr : stat.path("certificatesResolvers").properties()) {
            JsonNode acme = cr.getValue().path("acme");
            for (String challenge : List.of("httpChallenge", "tlsChallenge")) {
                JsonNode ep = acme.path(challenge).path("entryPoint");
                if (!ep.isMissingNode())
                    ref(
                            "traefik.yml certificatesResolvers." + cr.getKey() + ".acme." + challenge + ".entryPoint",
                            "entry point",
                            ep.asText(),
                            entryPoints);
            }
        }
        for (String path : List.of("ping", "metrics.prometheus")) {
            JsonNode n = stat;
            for (String p : path.split("\\.")) n = n.path(p);
            if (n.has("entryPoint"))
                ref(
                        "traefik.yml " + path + ".entryPoint",
                        "entry point",
                        n.get("entryPoint").asText(),
                        entryPoints);
        }

        // dynamic file
        for (String proto : List.of("http", "tcp", "udp")) {
            JsonNode section = dyn.path(proto);
            Set<String> middlewares = keys(section.path("middlewares"));
            Set<String> services = keys(section.path("services"));
            Set<String> internal = proto.equals("http") ? INTERNAL_SERVICES : Set.of();
            for (Map.Entry<String, JsonNode> r : section.path("routers").properties()) {
                String at = "dynamic.yml " + proto + ".routers." + r.getKey();
                JsonNode router = r.getValue();
                for (JsonNode ep : router.path("entryPoints"))
                    ref(at + ".entryPoints", "entry point", ep.asText(), entryPoints);
                for (JsonNode m : router.path("middlewares"))
                    local(at + ".middlewares", "middleware", m.asText(), middlewares, Set.of());
                if (router.has("service"))
                    local(at + ".service", "service", router.get("service").asText(), services, internal);
                JsonNode tls = router.path("tls");
                if (tls.has("certResolver"))
                    ref(
                            at + ".tls.certResolver",
                            "certificate resolver",
                            tls.get("certResolver").asText(),
                            resolvers);
                if (tls.has("options"))
                    local(at + ".tls.options", "TLS option", tls.get("options").asText(), tlsOptions, Set.of());
                if (router.has("rule")
                        && V2_RULE.matcher(router.get("rule").asText()).find()) {
                    problems.add(
                            at + ".rule: v2 rule syntax '" + router.get("rule").asText()
                                    + "' (v3: one argument per matcher, Header(), HostRegexp with a plain regexp)");
                }
            }
            for (Map.Entry<String, JsonNode> m : section.path("middlewares").properties()) {
                for (JsonNode c : m.getValue().path("chain").path("middlewares")) {
                    local(
                            "dynamic.yml " + proto + ".middlewares." + m.getKey() + ".chain.middlewares",
                            "middleware",
                            c.asText(),
                            middlewares,
                            Set.of());
                }
            }
            for (Map.Entry<String, JsonNode> s : section.path("services").properties()) {
                String at = "dynamic.yml " + proto + ".services." + s.getKey();
                JsonNode svc = s.getValue();
                for (JsonNode w : svc.path("weighted").path("services"))
                    local(at + ".weighted.services", "service", w.path("name").asText(), services, internal);
                JsonNode mir = svc.path("mirroring");
                if (mir.has("service"))
                    local(
                            at + ".mirroring.service",
                            "service",
                            mir.get("service").asText(),
                            services,
                            internal);
                for (JsonNode w : mir.path("mirrors"))
                    local(at + ".mirroring.mirrors", "service", w.path("name").asText(), services, internal);
                JsonNode fo = svc.path("failover");
                for (String f : List.of("service", "fallback")) {
                    if (fo.has(f))
                        local(at + ".failover." + f, "service", fo.get(f).asText(), services, internal);
                }
            }
        }
        v2Names("traefik.yml", "", stat);
        v2Names("dynamic.yml", "", dyn);
    }

    private void ref(String at, String kind, String name, Set<String> defined) {
        if (!defined.contains(name)) problems.add(at + ": " + kind + " '" + name + "' is not defined");
    }

    /** A reference from the dynamic file: bare = this file; @file = this file; @internal = Traefik's own. */
    private void local(String at, String kind, String name, Set<String> defined, Set<String> internal) {
        int i = name.lastIndexOf('@');
        if (i < 0) {
            ref(at, kind, name, defined);
        } else {
            provider(at, kind, name.substring(0, i), name.substring(i + 1), defined, internal);
        }
    }

    /** A reference from the static file must name its provider. */
    private void qualified(String at, String kind, String name, Set<String> defined, Set<String> internal) {
        int i = name.lastIndexOf('@');
        if (i < 0) {
            if (kind.equals("TLS option") && name.equals("default")) return;
            problems.add(at + ": " + kind + " '" + name + "' must name its provider (" + name + "@file)");
            return;
        }
        provider(at, kind, name.substring(0, i), name.substring(i + 1), defined, internal);
    }

    private void provider(
            String at, String kind, String bare, String provider, Set<String> defined, Set<String> internal) {
        switch (provider) {
            case "file" -> ref(at, kind, bare, defined);
            case "internal" -> {
                if (!internal.contains(bare))
                    problems.add(at + ": " + kind + " '" + bare + "@internal' is not one of Traefik's own " + internal);
            }
            default ->
                problems.add(at + ": " + kind + " '" + bare + "@" + provider
                        + "' comes from a provider this check cannot see");
        }
    }

    private void v2Names(String file, String path, JsonNode n) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (V2_ONLY.contains(e.getKey()))
                    problems.add(file + " " + p + ": '" + e.getKey() + "' is a Traefik v2 name, removed in v3");
                v2Names(file, p, e.getValue());
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) v2Names(file, path + "[" + i + "]", n.get(i));
        }
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> s = new HashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
