package lib.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.List;
import lib.host.ListeningSockets.Socket;
import org.junit.jupiter.api.Test;

/**
 * The Traefik rules over Engine API documents: container inspect (GET /containers/ID/json) and service list
 * (GET /services) in the shape Docker 20.10 (API 1.41) returns them, trimmed to the fields the audit reads.
 */
class TraefikAuditTest {
    static JsonNode json(String s) throws Exception {
        return InstallState.JSON.readTree(s);
    }

    static final String INSECURE_PUBLISHED = """
            {"Name": "/edge", "Config": {"Image": "traefik:v3.6.7", "Entrypoint": ["/entrypoint.sh"],
              "Cmd": ["--api.insecure=true", "--providers.docker"], "Env": ["PATH=/usr/bin"], "Labels": {}},
             "HostConfig": {"NetworkMode": "bridge", "PortBindings": {"8080/tcp": [{"HostIp": "", "HostPort": "8080"}]}},
             "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "80"}],
                                           "8080/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}, {"HostIp": "::", "HostPort": "8080"}]}}}
            """;

    @Test
    void anInsecureApiPublishedBeyondLoopbackFails() throws Exception {
        TraefikAudit.Run r = TraefikAudit.container(json(INSECURE_PUBLISHED));
        assertEquals("container edge (traefik:v3.6.7)", r.what());
        List<String> p = new TraefikAudit(List.of()).problems(r);
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0)
                        .startsWith(
                                "container edge (traefik:v3.6.7) serves the dashboard and API without authentication (api.insecure) on its entry point"
                                        + " traefik (:8080), open on 0.0.0.0:8080, [::]:8080"),
                p.get(0));
    }

    @Test
    void theSameOnLoopbackOnlyOrSecureIsFine() throws Exception {
        String loopback = INSECURE_PUBLISHED.replace(
                "\"HostIp\": \"0.0.0.0\", \"HostPort\": \"8080\"}, {\"HostIp\": \"::\", \"HostPort\": \"8080\"}",
                "\"HostIp\": \"127.0.0.1\", \"HostPort\": \"8080\"}");
        assertEquals(List.of(), new TraefikAudit(List.of()).problems(TraefikAudit.container(json(loopback))));
        String secure = INSECURE_PUBLISHED.replace("--api.insecure=true", "--api.insecure=false");
        assertEquals(List.of(), new TraefikAudit(List.of()).problems(TraefikAudit.container(json(secure))));
    }

    @Test
    void hostNetworkUsesWhatListensAndAMovedEntryPointIsFollowed() throws Exception {
        String host = """
                {"Name": "/traefik", "Config": {"Image": "registry.local/mirror/traefik:v3.6.7", "Cmd": ["--API.Insecure", "--entrypoints.traefik.address=:9000"],
                  "Env": [], "Labels": {}}, "HostConfig": {"NetworkMode": "host", "PortBindings": {}}, "NetworkSettings": {"Ports": {}}}
                """;
        List<Socket> listening = List.of(
                new Socket("tcp", InetAddress.getByName("0.0.0.0"), 9000, 5, 77, "traefik", List.of()),
                new Socket("tcp", InetAddress.getByName("0.0.0.0"), 8080, 6, 78, "other", List.of()));
        List<String> p = new TraefikAudit(listening).problems(TraefikAudit.container(json(host)));
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0).contains("on its entry point traefik (:9000), open on tcp 0.0.0.0:9000 (host network)"),
                p.get(0));
    }

    @Test
    void aDashboardRouterWithoutMiddlewareFails() throws Exception {
        String svc = """
                {"Spec": {"Name": "traefik_traefik", "Labels": {
                   "traefik.http.routers.dash.rule": "Host(`edge.example`)",
                   "traefik.http.routers.dash.service": "api@internal",
                   "traefik.http.routers.ok.service": "api@internal",
                   "traefik.http.routers.ok.middlewares": "protected@file,dashboard-auth@file"},
                  "TaskTemplate": {"ContainerSpec": {"Image": "traefik:v3.6.7@sha256:0123abcd", "Args": ["--configFile=/etc/traefik/traefik.yml"]}}},
                 "Endpoint": {"Ports": [{"Protocol": "tcp", "TargetPort": 443, "PublishedPort": 443, "PublishMode": "host"}]}}
                """;
        TraefikAudit.Run r = TraefikAudit.service(json(svc));
        assertEquals("service traefik_traefik (traefik:v3.6.7)", r.what());
        List<String> p = new TraefikAudit(List.of()).problems(r);
        assertEquals(
                List.of(
                        "service traefik_traefik (traefik:v3.6.7): router dash serves the dashboard (api@internal) without a middleware: add authentication"
                                + " and an allow list (traefik.http.routers.dash.middlewares, e.g. protected@file,dashboard-auth@file)"),
                p);
    }

    @Test
    void insecureThroughTheEnvironmentAndAnIngressPublishedPort() throws Exception {
        String svc = """
                {"Spec": {"Name": "edge", "TaskTemplate": {"ContainerSpec": {"Image": "traefik:3.6", "Env": ["TRAEFIK_API_INSECURE=true"]}}},
                 "Endpoint": {"Ports": [{"Protocol": "tcp", "TargetPort": 8080, "PublishedPort": 18080, "PublishMode": "ingress"}]}}
                """;
        List<String> p = new TraefikAudit(List.of()).problems(TraefikAudit.service(json(svc)));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("open on 0.0.0.0:18080 (ingress)"), p.get(0));
    }

    @Test
    void recognisesTraefikImagesOnly() {
        assertTrue(TraefikAudit.isTraefik("traefik:v3.6.7"));
        assertTrue(TraefikAudit.isTraefik("docker.io/library/traefik@sha256:abc"));
        assertTrue(TraefikAudit.isTraefik("localhost:5000/edge/traefik:latest"));
        assertFalse(TraefikAudit.isTraefik("traefik-forward-auth:2"));
        assertFalse(TraefikAudit.isTraefik("n0d3-lab/busybox:latest"));
    }
}
