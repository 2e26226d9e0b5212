package lib.install;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lib.docker.DockerClient;
import lib.host.ListeningSockets.Socket;

/**
 * The network audit's {@code traefik-dashboard} row: no Traefik container or swarm service of this node
 * (the Engine API's container inspect and service list) serves the dashboard on an open entry point.
 * Open means: the API in insecure mode ({@code --api.insecure}, or TRAEFIK_API_INSECURE) with its
 * {@code traefik} entry point (:8080 unless {@code --entrypoints.traefik.address} says otherwise) published
 * beyond loopback or, with host networking, listening beyond loopback; or a router of its labels serving
 * {@code api@internal} without a middleware (authentication, allow list). The project's own stack
 * (configs/traefik) keeps the API secure and routes the dashboard through {@code protected} and
 * {@code dashboard-auth}. A static configuration file inside the container is not read here; the shipped one
 * is checked by the tests.
 */
final class TraefikAudit {
    static final String ROW = "traefik-dashboard";
    private final List<Socket> sockets;

    TraefikAudit(List<Socket> sockets) {
        this.sockets = sockets;
    }

    /** One Traefik: a container or a service, with what the audit needs of it. */
    record Run(
            String what,
            List<String> args,
            Map<String, String> env,
            Map<String, String> labels,
            List<Published> published,
            boolean hostNetwork) {}

    /** A published port: the target port in the container, the host address ("" = every address) and port. */
    record Published(int target, String hostIp, int hostPort, String mode) {}

    void run(DockerClient docker, VerificationTable out) {
        List<Run> runs = new ArrayList<>();
        try {
            if (!docker.ping()) {
                out.add(
                        ROW,
                        NetworkAudit.CHECK,
                        VerificationTable.Result.SKIP,
                        "Docker does not answer at " + docker.host().display());
                return;
            }
            for (JsonNode c : docker.containers(false)) {
                if (!isTraefik(c.path("Image").asText())) continue;
                runs.add(container(docker.container(c.path("Id").asText())));
            }
            if (docker.info().path("Swarm").path("ControlAvailable").asBoolean(false)) {
                for (JsonNode s : docker.get("/services")) {
                    if (isTraefik(s.path("Spec")
                            .path("TaskTemplate")
                            .path("ContainerSpec")
                            .path("Image")
                            .asText())) runs.add(service(s));
                }
            }
        } catch (RuntimeException e) {
            out.add(
                    ROW,
                    NetworkAudit.CHECK,
                    VerificationTable.Result.FAIL,
                    "cannot list Traefik containers and services: " + e.getMessage());
            return;
        }
        if (runs.isEmpty()) {
            out.add(
                    ROW,
                    NetworkAudit.CHECK,
                    VerificationTable.Result.SKIP,
                    "no Traefik container or service on this node");
            return;
        }
        List<String> bad = new ArrayList<>();
        for (Run r : runs) bad.addAll(problems(r));
        if (bad.isEmpty()) {
            out.add(
                    ROW,
                    NetworkAudit.CHECK,
                    VerificationTable.Result.OK,
                    String.join(", ", runs.stream().map(Run::what).toList())
                            + ": the dashboard is not on an open entry point (no insecure API published, every api@internal router has middlewares)");
        } else {
            out.add(ROW, NetworkAudit.CHECK, VerificationTable.Result.FAIL, String.join("; ", bad));
        }
    }

    static boolean isTraefik(String image) {
        String name = image.toLowerCase(Locale.ROOT);
        int at = name.indexOf('@');
        if (at >= 0) name = name.substring(0, at);
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) name = name.substring(0, colon);
        return name.equals("traefik") || name.endsWith("/traefik");
    }

    List<String> problems(Run r) {
        List<String> out = new ArrayList<>();
        if (insecure(r)) {
            int port = entryPointPort(r);
            List<String> open = new ArrayList<>();
            for (Published p : r.published()) {
                if (p.target() == port
                        && !p.hostIp().startsWith("127.")
                        && !p.hostIp().equals("::1")) {
                    open.add((p.hostIp().isEmpty()
                                    ? "0.0.0.0"
                                    : p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp())
                            + ":" + p.hostPort() + (p.mode().isEmpty() ? "" : " (" + p.mode() + ")"));
                }
            }
            if (r.hostNetwork()) {
                for (Socket s : sockets)
                    if (s.proto().equals("tcp") && s.port() == port && !s.loopback())
                        open.add(s.where() + " (host network)");
            }
            if (!open.isEmpty()) {
                out.add(
                        r.what()
                                + " serves the dashboard and API without authentication (api.insecure) on its entry point traefik (:"
                                + port + "), open on " + String.join(", ", open)
                                + ": turn api.insecure off and route api@internal through websecure with authentication (configs/traefik)");
            }
        }
        for (Map.Entry<String, String> router : dashboardRouters(r.labels()).entrySet()) {
            if (router.getValue().isBlank()) {
                out.add(r.what() + ": router " + router.getKey()
                        + " serves the dashboard (api@internal) without a middleware: add authentication and an allow list"
                        + " (traefik.http.routers." + router.getKey()
                        + ".middlewares, e.g. protected@file,dashboard-auth@file)");
            }
        }
        return out;
    }

    static boolean insecure(Run r) {
        String v = flag(r.args(), "--api.insecure");
        if (v != null) return v.isEmpty() || v.equalsIgnoreCase("true");
        return r.env().getOrDefault("TRAEFIK_API_INSECURE", "false").equalsIgnoreCase("true");
    }

    static int entryPointPort(Run r) {
        String a = flag(r.args(), "--entrypoints.traefik.address");
        if (a == null) a = r.env().get("TRAEFIK_ENTRYPOINTS_TRAEFIK_ADDRESS");
        if (a != null) {
            String p = a.substring(a.lastIndexOf(':') + 1);
            int slash = p.indexOf('/');
            try {
                return Integer.parseInt(slash >= 0 ? p.substring(0, slash) : p);
            } catch (NumberFormatException e) {
                return 8080;
            }
        }
        return 8080;
    }

    /** A flag's value: "" for a bare flag, null when absent. Traefik's flag names are case-insensitive. */
    static String flag(List<String> args, String name) {
        String want = name.toLowerCase(Locale.ROOT);
        String found = null;
        for (String a : args) {
            String l = a.toLowerCase(Locale.ROOT);
            if (l.equals(want)) found = "";
            else if (l.startsWith(want + "=")) found = a.substring(name.length() + 1);
        }
        return found;
    }

    /** Router name to its middlewares label ("" when none), for every router whose service is api@internal. */
    static Map<String, String> dashboardRouters(Map<String, String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        labels.forEach((k, v) -> {
            String l = k.toLowerCase(Locale.ROOT);
            if (l.startsWith("traefik.http.routers.")
                    && l.endsWith(".service")
                    && v.strip().equals("api@internal")) {
                String name = k.substring("traefik.http.routers.".length(), k.length() - ".service".length());
                String mw = "";
                for (Map.Entry<String, String> e : labels.entrySet()) {
                    if (e.getKey().equalsIgnoreCase("traefik.http.routers." + name + ".middlewares")) mw = e.getValue();
                }
                out.put(name, mw);
            }
        });
        return out;
    }

    static Run container(JsonNode c) {
        JsonNode cfg = c.path("Config");
        List<String> args = new ArrayList<>();
        cfg.path("Entrypoint").forEach(a -> args.add(a.asText()));
        cfg.path("Cmd").forEach(a -> args.add(a.asText()));
        List<Published> pub = new ArrayList<>();
        JsonNode ports = c.path("NetworkSettings").path("Ports");
        if (ports.isMissingNode() || ports.isNull() || ports.isEmpty())
            ports = c.path("HostConfig").path("PortBindings");
        for (Map.Entry<String, JsonNode> e : ports.properties()) {
            if (!e.getKey().endsWith("/tcp")) continue;
            int target = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('/')));
            for (JsonNode b : e.getValue())
                pub.add(new Published(
                        target, b.path("HostIp").asText(""), b.path("HostPort").asInt(target), ""));
        }
        String name = c.path("Name").asText("").replaceFirst("^/", "");
        return new Run(
                "container " + name + " (" + cfg.path("Image").asText() + ")",
                args,
                env(cfg.path("Env")),
                strings(cfg.path("Labels")),
                pub,
                c.path("HostConfig").path("NetworkMode").asText().equals("host"));
    }

    static Run service(JsonNode s) {
        JsonNode spec = s.path("Spec").path("TaskTemplate").path("ContainerSpec");
        List<String> args = new ArrayList<>();
        spec.path("Command").forEach(a -> args.add(a.asText()));
        spec.path("Args").forEach(a -> args.add(a.asText()));
        List<Published> pub = new ArrayList<>();
        JsonNode ports = s.path("Endpoint").path("Ports");
        if (ports.isMissingNode() || ports.isEmpty())
            ports = s.path("Spec").path("EndpointSpec").path("Ports");
        for (JsonNode p : ports) {
            if (!p.path("Protocol").asText("tcp").equals("tcp") || !p.has("PublishedPort")) continue;
            pub.add(new Published(
                    p.path("TargetPort").asInt(),
                    "",
                    p.path("PublishedPort").asInt(),
                    p.path("PublishMode").asText("ingress")));
        }
        Map<String, String> labels = new LinkedHashMap<>(strings(spec.path("Labels")));
        labels.putAll(strings(s.path("Spec").path("Labels")));
        return new Run(
                "service " + s.path("Spec").path("Name").asText() + " ("
                        + spec.path("Image").asText().replaceAll("@sha256:[0-9a-f]+$", "") + ")",
                args,
                env(spec.path("Env")),
                labels,
                pub,
                false);
    }

    private static Map<String, String> env(JsonNode list) {
        Map<String, String> out = new LinkedHashMap<>();
        list.forEach(e -> {
            String t = e.asText();
            int eq = t.indexOf('=');
            if (eq > 0) out.put(t.substring(0, eq), t.substring(eq + 1));
        });
        return out;
    }

    private static Map<String, String> strings(JsonNode obj) {
        Map<String, String> out = new LinkedHashMap<>();
        obj.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
