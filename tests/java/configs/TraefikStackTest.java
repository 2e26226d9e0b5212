package configs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * configs/traefik/stack.yml: a swarm stack that runs Traefik on the managers with traefik.yml and dynamic.yml
 * as docker configs. Checked structurally here, against the files it mounts, and by the docker CLI's own
 * compose loader and schema (`docker stack config`, CLI 25 and later, no daemon needed).
 */
class TraefikStackTest {
    static final Path STACK = Repo.file("configs/traefik/stack.yml");
    /** Top-level and service keys of the compose file format 3.x that `docker stack deploy` reads. */
    static final Set<String> TOP = Set.of("version", "services", "networks", "volumes", "configs", "secrets", "name");

    static final Set<String> SERVICE = Set.of(
            "image",
            "command",
            "entrypoint",
            "environment",
            "env_file",
            "ports",
            "networks",
            "volumes",
            "configs",
            "secrets",
            "healthcheck",
            "deploy",
            "labels",
            "logging",
            "user",
            "working_dir",
            "stop_grace_period",
            "stop_signal",
            "sysctls",
            "ulimits",
            "hostname",
            "cap_add",
            "cap_drop",
            "read_only",
            "init");

    static JsonNode stack() {
        return Repo.yaml(STACK);
    }

    static JsonNode traefik() {
        return stack().at("/services/traefik");
    }

    @Test
    void usesOnlyComposeKeysThatDockerStackReads() {
        List<String> bad = new ArrayList<>();
        stack().fieldNames().forEachRemaining(k -> {
            if (!TOP.contains(k)) bad.add(k);
        });
        traefik().fieldNames().forEachRemaining(k -> {
            if (!SERVICE.contains(k)) bad.add("services.traefik." + k);
        });
        assertEquals(List.of(), bad);
    }

    @Test
    void runsAPinnedTraefikV3OnManagersOnly() {
        JsonNode t = traefik();
        assertTrue(
                t.path("image").asText().matches("traefik:v3\\.[0-9]+\\.[0-9]+"),
                "pinned v3 image: " + t.path("image"));
        List<String> constraints = new ArrayList<>();
        t.at("/deploy/placement/constraints").forEach(c -> constraints.add(c.asText()));
        assertTrue(constraints.contains("node.role == manager"), constraints.toString());
    }

    @Test
    void everyConfigAndSecretTheServiceUsesIsDeclaredAndEveryConfigFileExists() {
        JsonNode s = stack();
        for (JsonNode ref : traefik().path("configs")) {
            String src = ref.path("source").asText();
            assertTrue(s.at("/configs").has(src), "config " + src + " declared at the top level");
        }
        for (JsonNode ref : traefik().path("secrets")) {
            assertTrue(s.at("/secrets").has(ref.path("source").asText()), "secret " + ref.path("source") + " declared");
        }
        s.path("configs").properties().forEach(e -> {
            Path f = STACK.getParent()
                    .resolve(e.getValue().path("file").asText())
                    .normalize();
            assertTrue(Files.isRegularFile(f), "config " + e.getKey() + ": file " + f + " exists");
        });
    }

    @Test
    void mountsMatchWhatTraefikYmlAndDynamicYmlExpect() {
        JsonNode stat = Repo.yaml(Repo.file("configs/traefik/traefik.yml"));
        JsonNode dyn = Repo.yaml(Repo.file("configs/traefik/dynamic.yml"));
        JsonNode t = traefik();
        String staticTarget = target(t, "configs", "traefik-static");
        assertTrue(
                t.path("command").toString().contains("--configFile=" + staticTarget),
                "Traefik reads the mounted static file");
        assertEquals(stat.at("/providers/file/filename").asText(), target(t, "configs", "traefik-dynamic"));
        assertEquals(
                dyn.at("/http/middlewares/dashboard-auth/basicAuth/usersFile").asText(),
                "/run/secrets/" + target(t, "secrets", "traefik-dashboard-users"));
        assertEquals(
                stat.at("/providers/swarm/network").asText(),
                t.at("/networks/0").asText());
        assertTrue(
                stack().at("/networks/traefik-public/external").asBoolean(),
                "traefik-public is created by swarm_join, not the stack");
        String storageDir = Path.of(stat.at("/certificatesResolvers/letsencrypt/acme/storage")
                        .asText())
                .getParent()
                .toString();
        boolean persisted = false;
        for (JsonNode v : t.path("volumes")) {
            if (v.path("type").asText().equals("volume")
                    && v.path("target").asText().equals(storageDir)) persisted = true;
        }
        assertTrue(persisted, "ACME storage " + storageDir + " is on a named volume");
    }

    @Test
    void theAcmeEmailTemplateIsFilledFromTheServiceEnvironment() {
        String text = Repo.read(Repo.file("configs/traefik/traefik.yml"));
        assertTrue(text.contains("{{ env \"ACME_EMAIL\" }}"));
        assertEquals(
                "golang", stack().at("/configs/traefik-static/template_driver").asText());
        assertTrue(
                traefik().at("/environment/ACME_EMAIL").asText().startsWith("${ACME_EMAIL:?"),
                "deploy refuses to run without ACME_EMAIL");
    }

    @Test
    void publishesWebAndWebsecureInHostModeAndNotTheMetricsPort() {
        Set<Integer> published = new java.util.HashSet<>();
        for (JsonNode p : traefik().path("ports")) {
            assertEquals("host", p.path("mode").asText(), "host mode keeps client addresses for the allow list");
            published.add(p.path("target").asInt());
        }
        assertEquals(Set.of(80, 443), published);
        assertNotEquals("true", traefik().at("/deploy/endpoint_mode").asText());
    }

    @Test
    void dockerStackConfigAcceptsTheStack() {
        requireStackConfig();
        ProcessResult r = new ProcessRunner()
                .runAnyExit(Command.of("docker", "stack", "config", "-c", STACK.toString())
                        .env("ACME_EMAIL", "ops@pr-cybr.test")
                        .env("TRAEFIK_CONFIG_VERSION", "abc123")
                        .timeout(Duration.ofSeconds(30)));
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode out = Repo.yaml(write(r.stdout()));
        assertEquals(
                "traefik-static-abc123", out.at("/configs/traefik-static/name").asText());
        assertEquals(
                "ops@pr-cybr.test",
                out.at("/services/traefik/environment/ACME_EMAIL").asText());
    }

    @Test
    void dockerStackConfigRefusesTheStackWithoutAcmeEmailOrWithAnUnknownKey(@TempDir Path dir) throws IOException {
        requireStackConfig();
        ProcessResult noEmail = new ProcessRunner()
                .runAnyExit(Command.of("docker", "stack", "config", "-c", STACK.toString())
                        .env("ACME_EMAIL", "")
                        .timeout(Duration.ofSeconds(30)));
        assertNotEquals(0, noEmail.exitCode());
        assertTrue(noEmail.stderr().contains("ACME_EMAIL"), noEmail.stderr());

        ObjectNode broken = (ObjectNode) stack();
        ((ObjectNode) broken.at("/services/traefik")).put("imagee", "traefik:v3.0.0");
        Path copy = dir.resolve("stack.yml");
        Repo.YAML.writeValue(copy.toFile(), broken);
        for (String f : List.of("traefik.yml", "dynamic.yml")) Files.copy(STACK.resolveSibling(f), dir.resolve(f));
        ProcessResult bad = new ProcessRunner()
                .runAnyExit(Command.of("docker", "stack", "config", "-c", copy.toString())
                        .env("ACME_EMAIL", "ops@pr-cybr.test")
                        .timeout(Duration.ofSeconds(30)));
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("imagee"), bad.stderr());
        assertFalse(bad.stdout().contains("services:"));
    }

    static String target(JsonNode service, String kind, String source) {
        for (JsonNode ref : service.path(kind)) {
            if (ref.path("source").asText().equals(source))
                return ref.path("target").asText();
        }
        throw new AssertionError(kind + " " + source + " is not mounted");
    }

    static void requireStackConfig() {
        boolean ok = ProcessRunner.onPath("docker")
                && new ProcessRunner()
                                .runAnyExit(Command.of("docker", "stack", "config", "--help")
                                        .timeout(Duration.ofSeconds(20)))
                                .exitCode()
                        == 0;
        Repo.requireTool(ok, "docker CLI with `docker stack config` (CLI 25 or later) not available");
    }

    static Path write(String text) {
        try {
            Path p = Files.createTempFile("stack-config", ".yml");
            Files.writeString(p, text);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
