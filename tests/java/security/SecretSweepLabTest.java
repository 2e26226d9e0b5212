package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import install.StandInJar;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import lab.Lab;
import lab.LabNode;
import lab.LabTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.HtpasswdRegistry;
import support.Project;
import support.SecretSweep;
import tfc.FakeTfc;

/**
 * Every script with every secret it reads, once with each secret in a file ({@code NAME_FILE}, 0600) and once in
 * the environment ({@code NAME}): install.java (API_TOKEN, SWARM_JOIN_TOKEN, ZEROTIER_API_TOKEN,
 * TAILSCALE_AUTH_KEY: registration, a real swarm join in a lab node, ZeroTier Central, tailscale up),
 * swarm_join.java (SWARM_JOIN_TOKEN, and API_TOKEN for the management node's manager list), telemetry.java
 * (API_TOKEN: a sample spooled while the management node answers 503, then delivered), build_amd.java's
 * registry login (REGISTRY_PASSWORD, against a registry that demands it) and tfc_sync.java (TFC_TOKEN). While
 * they run, support.SecretSweep samples the argv of every process on the machine and the environment of every
 * one but the script itself; afterwards it sweeps their stdout and stderr, every file they left (the scratch
 * root, state dirs, the telemetry spool, docker's config), the lab daemons' logs and the argv and environment
 * the fakes and the docker wrapper recorded. Each secret must also be seen used (the fakes record the
 * Authorization headers, the swarm the join), so a script that skipped its secret cannot pass.
 *
 * Fakes: the management node, ZeroTier Central and Terraform Cloud answer in their documented formats (see
 * schemas/ and tfc.FakeTfc); zerotier-cli and tailscale are tests/fakes. Docker, the swarm and the registry are real.
 */
@LabTest(nodes = 3, hostDaemon = true, busybox = true)
class SecretSweepLabTest {
    static final String NWID = "8056c2e21c000001";
    static final String ORG = "pr-cybr";
    static final String WS = "n0d3-stage";
    static final String USER = "ci-bot";
    static final Path FAKES = Project.basedir().resolve("tests/fakes");

    @TempDir
    static Path tmp;

    static Map<String, String> secrets;
    static String joinToken;
    static HttpServer mgmt;
    static HttpsServer central;
    static final String TRUST_PASS = "changeit";
    static Path TRUST;
    static volatile Path ztDir;
    static volatile int telemetryStatus = 200;
    static final List<String> mgmtRequests = new CopyOnWriteArrayList<>();
    static final List<String> centralRequests = new CopyOnWriteArrayList<>();
    static FakeTfc tfc;
    static HtpasswdRegistry registry;
    static Path ctx;
    static String gateway;

    static String random(String prefix) {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    @BeforeAll
    static void fakesAndSecrets(Lab lab) throws Exception {
        LabNode manager = lab.node(1);
        manager.docker().swarmInit("0.0.0.0:2377", manager.ip());
        joinToken = manager.docker()
                .swarmInspect()
                .path("JoinTokens")
                .path("Worker")
                .asText();
        secrets = new LinkedHashMap<>();
        secrets.put("API_TOKEN", random("n0d3-api-"));
        secrets.put("ZEROTIER_API_TOKEN", random("ztc-"));
        secrets.put("TAILSCALE_AUTH_KEY", random("tskey-auth-"));
        secrets.put("REGISTRY_PASSWORD", random("Reg-"));
        secrets.put("TFC_TOKEN", random("tfc") + ".atlasv1." + random(""));
        gateway = lab.env().get("LAB_GATEWAY");
        TRUST = tmp.resolve("central-trust.p12");

        mgmt = HttpServer.create(new InetSocketAddress(InetAddress.getByName(gateway), 0), 0);
        mgmt.createContext("/", ex -> {
            String line = ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " | "
                    + ex.getRequestHeaders().getFirst("Authorization");
            mgmtRequests.add(line);
            ex.getRequestBody().readAllBytes();
            if (ex.getRequestURI().getPath().equals("/api/swarm/managers")) {
                send(ex, 200, "{\"managers\":[{\"addr\":\"" + manager.ip() + ":2377\"}]}");
            } else if (ex.getRequestURI().getPath().equals("/api/telemetry")) {
                send(
                        ex,
                        telemetryStatus,
                        telemetryStatus == 200 ? "{\"status\":\"ok\"}" : "{\"error\":\"maintenance\"}");
            } else {
                send(ex, 201, "{\"status\":\"registered\"}");
            }
        });
        mgmt.start();
        // ZeroTier Central's member update (POST /api/v1/network/NWID/member/ID), authorising in the fake CLI's state;
        // over HTTPS (network.conf accepts https:// only) with a certificate for the gateway's address that the
        // scripts' JVMs trust through javax.net.ssl.trustStore
        central = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(gateway), 0), 0);
        central.setHttpsConfigurator(new HttpsConfigurator(tls(gateway)));
        central.createContext("/api/v1/network/", ex -> {
            centralRequests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " | "
                    + ex.getRequestHeaders().getFirst("Authorization"));
            ex.getRequestBody().readAllBytes();
            String[] parts = ex.getRequestURI().getPath().split("/");
            Path nd = Files.createDirectories(ztDir.resolve("networks").resolve(parts[4]));
            Files.writeString(nd.resolve("authorized"), "");
            send(ex, 200, "{\"id\":\"" + parts[4] + "-" + parts[6] + "\",\"config\":{\"authorized\":true}}");
        });
        central.start();
        tfc = new FakeTfc(secrets.get("TFC_TOKEN"));
        tfc.addWorkspace(ORG, WS);
        registry = HtpasswdRegistry.start(tmp.resolve("registry"), USER, secrets.get("REGISTRY_PASSWORD"));
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.copy(lab.busyboxBinary("amd64"), ctx.resolve("busybox"));
        Files.writeString(
                ctx.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nCMD [\"/bin/busybox\", \"uname\", \"-m\"]\n");
    }

    /** A self-signed certificate for {@code ip} (keytool), its key for the server, the certificate alone in a trust store for the clients. */
    static SSLContext tls(String ip) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path ks = tmp.resolve("central.p12");
        Path cert = tmp.resolve("central.der");
        for (List<String> c : List.of(
                List.of(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "central",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=zt-central-fake",
                        "-ext",
                        "SAN=ip:" + ip,
                        "-validity",
                        "2",
                        "-keystore",
                        ks.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        TRUST_PASS),
                List.of(
                        keytool.toString(),
                        "-exportcert",
                        "-alias",
                        "central",
                        "-keystore",
                        ks.toString(),
                        "-storepass",
                        TRUST_PASS,
                        "-file",
                        cert.toString()),
                List.of(
                        keytool.toString(),
                        "-importcert",
                        "-noprompt",
                        "-alias",
                        "central",
                        "-file",
                        cert.toString(),
                        "-keystore",
                        TRUST.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        TRUST_PASS))) {
            ChildJvm.Result r = ChildJvm.run(c, Map.of(), tmp);
            assertEquals(0, r.exit(), c + ": " + r.stderr());
        }
        KeyStore k = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            k.load(in, TRUST_PASS.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(k, TRUST_PASS.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterAll
    static void stopFakes() {
        if (mgmt != null) mgmt.stop(0);
        if (central != null) central.stop(0);
        if (tfc != null) tfc.close();
        if (registry != null) registry.close();
    }

    @Test
    void everyScriptWithEverySecretInAFile(Lab lab) throws Exception {
        everyScript(lab, lab.node(2), true);
    }

    @Test
    void everyScriptWithEverySecretInTheEnvironment(Lab lab) throws Exception {
        everyScript(lab, lab.node(3), false);
    }

    record Run(String what, int exit, String stdout, String stderr) {}

    void everyScript(Lab lab, LabNode node, boolean files) throws Exception {
        String tag = files ? "files" : "variables";
        Path w = Files.createDirectories(tmp.resolve(tag));
        String marker = "-Dn0d3.secret-sweep=" + tag;
        Map<String, String> all = new LinkedHashMap<>(secrets);
        all.put("SWARM_JOIN_TOKEN", joinToken);
        // the secret part of the join token is what must not leak; its first 59 characters name the swarm
        Map<String, String> sweepFor = new LinkedHashMap<>(secrets);
        sweepFor.put("SWARM_JOIN_TOKEN", joinToken.substring(joinToken.lastIndexOf('-') + 1));
        Map<String, String> given = new LinkedHashMap<>();
        Path secretDir = Files.createDirectories(w.resolve("secrets"));
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (files) {
                Path f = secretDir.resolve(e.getKey().toLowerCase(Locale.ROOT));
                Files.writeString(f, e.getValue() + "\n");
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                given.put(e.getKey() + "_FILE", f.toString());
            } else {
                given.put(e.getKey(), e.getValue());
            }
        }
        ztDir = Files.createDirectories(w.resolve("zt"));
        Path ts = Files.createDirectories(w.resolve("ts"));
        Files.writeString(ts.resolve("valid_key"), secrets.get("TAILSCALE_AUTH_KEY") + "\n");
        Path shimLog = w.resolve("docker-calls.log");
        Path shim = w.resolve("shim");
        SecretSweep.recordingShim(shim, "docker", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), shimLog);

        List<Run> runs = new ArrayList<>();
        try (SecretSweep sweep = SecretSweep.start(sweepFor, marker)) {
            // 1. install.java in the node: registration, overlays (fakes), swarm join, units, verification
            Path codex = installCodex(w);
            Map<String, String> env = new LinkedHashMap<>(
                    pick(given, "API_TOKEN", "SWARM_JOIN_TOKEN", "ZEROTIER_API_TOKEN", "TAILSCALE_AUTH_KEY"));
            env.put(
                    "MGMT_NODE_URL",
                    "http://" + gateway + ":" + mgmt.getAddress().getPort());
            env.put("SWARM_MANAGER_IP", lab.node(1).ip());
            env.put("ZEROTIER_NETWORK_ID", NWID);
            env.put("FAKE_ZT_DIR", ztDir.toString());
            env.put("FAKE_TS_DIR", ts.toString());
            env.put("PATH", FAKES + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            Path root = Files.createDirectories(w.resolve("root/etc")).getParent();
            Files.copy(
                    Project.basedir().resolve("tests/resources/os-release/debian-12"), root.resolve("etc/os-release"));
            Run install = inNode(
                    lab,
                    node,
                    marker,
                    "install",
                    env,
                    "--root",
                    root.toString(),
                    "--config",
                    codex.toString(),
                    "--yes",
                    "--jar",
                    StandInJar.in(w).toString());
            runs.add(install);
            assertEquals(0, install.exit(), install.stdout() + install.stderr());
            assertTrue(
                    mgmtRequests.contains("POST /api/nodes/register | Bearer " + secrets.get("API_TOKEN")),
                    "registered with the token: " + mgmtRequests);
            assertTrue(
                    centralRequests.stream().anyMatch(r -> r.endsWith(" | token " + secrets.get("ZEROTIER_API_TOKEN"))),
                    "Central saw the token");
            assertEquals("Running", Files.readString(ts.resolve("state")).strip(), "tailscale took the key");
            assertEquals(
                    "active",
                    node.docker().info().path("Swarm").path("LocalNodeState").asText(),
                    "the node joined with the token");

            // 2. swarm_join.java: out of the swarm, then back in, the managers from the management node
            node.docker().swarmLeave(false);
            mgmtRequests.clear();
            env = new LinkedHashMap<>(pick(given, "API_TOKEN", "SWARM_JOIN_TOKEN"));
            env.put(
                    "MGMT_NODE_URL",
                    "http://" + gateway + ":" + mgmt.getAddress().getPort());
            Run join = inNode(
                    lab,
                    node,
                    marker,
                    "swarm_join",
                    env,
                    "--state-dir",
                    w.resolve("swarm").toString());
            runs.add(join);
            assertEquals(0, join.exit(), join.stdout() + join.stderr());
            assertTrue(
                    mgmtRequests.contains("GET /api/swarm/managers | Bearer " + secrets.get("API_TOKEN")),
                    mgmtRequests.toString());
            assertEquals(
                    "active",
                    node.docker().info().path("Swarm").path("LocalNodeState").asText());

            // 3. telemetry.java: a sample spooled while the management node answers 503, then delivered
            mgmtRequests.clear();
            env = new LinkedHashMap<>(pick(given, "API_TOKEN"));
            env.put(
                    "MGMT_NODE_URL",
                    "http://" + gateway + ":" + mgmt.getAddress().getPort());
            Path tstate = w.resolve("telemetry");
            telemetryStatus = 503;
            Run spooled = inNode(lab, node, marker, "telemetry", env, "--once", "--state-dir", tstate.toString());
            runs.add(spooled);
            assertEquals(0, spooled.exit(), spooled.stderr());
            assertTrue(spooled.stderr().contains("kept in the spool"), spooled.stderr());
            telemetryStatus = 200;
            Run sent = inNode(
                    lab, node, marker, "telemetry", env, "--once", "--send-now", "--state-dir", tstate.toString());
            runs.add(sent);
            assertEquals(0, sent.exit(), sent.stderr());
            assertTrue(
                    mgmtRequests.stream()
                                    .filter(r -> r.equals("POST /api/telemetry | Bearer " + secrets.get("API_TOKEN")))
                                    .count()
                            >= 3,
                    "the spooled sample and the new one were delivered with the token: " + mgmtRequests);

            // 4. build_amd.java: docker login (through the recording wrapper) and push to the registry that demands it
            env = new LinkedHashMap<>(pick(given, "REGISTRY_PASSWORD"));
            env.put("REGISTRY_USERNAME", USER);
            env.put("REGISTRY", registry.address());
            env.put("IMAGE_NAME", "private/node");
            env.put("DOCKER_HOST", lab.hostDockerHost());
            env.put(
                    "DOCKER_CONFIG",
                    Files.createDirectories(w.resolve("docker-config")).toString());
            env.put("PATH", shim + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            Run build = onHost(
                    marker,
                    "build_amd",
                    env,
                    "--context",
                    ctx.toString(),
                    "--revision",
                    "1234567",
                    "--image-version",
                    tag,
                    "--smoke-cmd",
                    "/bin/busybox uname -m",
                    "--smoke-expect",
                    "^{machine}$",
                    "--push");
            runs.add(build);
            assertEquals(0, build.exit(), build.stdout() + build.stderr());
            assertTrue(Files.readString(shimLog)
                    .contains("argv: login --username " + USER + " --password-stdin " + registry.address() + "\n"));

            // 5. tfc_sync.java against the Terraform Cloud fake
            int before = tfc.requests.size();
            env = new LinkedHashMap<>(pick(given, "TFC_TOKEN"));
            env.put("TF_CLOUD_ORGANIZATION", ORG);
            env.put("TF_WORKSPACE", WS);
            Path tcodex = Files.writeString(w.resolve("tfc-codex.yaml"), "metadata:\n  version: 1.4.2\n");
            Run sync = onHost(
                    marker,
                    "tfc_sync",
                    env,
                    "--config",
                    tcodex.toString(),
                    "--api-url",
                    tfc.url(),
                    "--environment",
                    "stage",
                    "--sha",
                    "0123456789abcdef0123456789abcdef01234567");
            runs.add(sync);
            assertEquals(0, sync.exit(), sync.stdout() + sync.stderr());
            assertTrue(tfc.requests.subList(before, tfc.requests.size()).stream()
                    .allMatch(r -> ("Bearer " + secrets.get("TFC_TOKEN")).equals(r.authorization())));

            sweep.close();
            assertTrue(
                    sweep.sightings() > 10,
                    "the sampler saw the scripts run: " + sweep.sightings() + " of " + sweep.samples() + " samples");
            for (Run r : runs)
                sweep.text("the stdout of " + r.what(), r.stdout()).text("the stderr of " + r.what(), r.stderr());
            // everything left behind but the secrets themselves: the files given, and the API token the installer keeps
            // (0600) for the units
            sweep.files(
                    w,
                    p -> p.startsWith(secretDir)
                            || p.startsWith(root.resolve("etc/pr-cybr/secrets"))
                            || p.equals(ts.resolve("valid_key")));
            for (String d : List.of("node1", "node2", "node3", "host"))
                sweep.files(lab.dir().resolve(d).resolve("log"), p -> false);
            assertEquals(List.of(), sweep.leaks());
        }
        assertTrue(
                Files.readString(root(w).resolve("etc/pr-cybr/secrets/api-token"))
                        .contains(secrets.get("API_TOKEN")),
                "the installer kept the API token");
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(root(w).resolve("etc/pr-cybr/secrets/api-token"))));
    }

    static Path root(Path w) {
        return w.resolve("root");
    }

    static Map<String, String> pick(Map<String, String> given, String... names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            given.forEach((k, v) -> {
                if (k.equals(n) || k.equals(n + "_FILE")) out.put(k, v);
            });
        }
        return out;
    }

    /** codex.yaml for the install: both overlays (their configs aimed at the fakes), every verification check. */
    static Path installCodex(Path w) throws IOException {
        String zt = Files.readString(Project.basedir().resolve("configs/zerotier/network.conf"))
                .replace(
                        "https://api.zerotier.com/api/v1",
                        "https://" + gateway + ":" + central.getAddress().getPort() + "/api/v1")
                .replace("join_timeout: 120s", "join_timeout: 30s");
        Path ztConf = Files.writeString(w.resolve("network.conf"), zt);
        String tsc = Files.readString(Project.basedir().resolve("configs/tailscale/tailscale.conf"))
                .replace("up_timeout: 60s", "up_timeout: 30s");
        Path tsConf = Files.writeString(w.resolve("tailscale.conf"), tsc);
        return Files.writeString(
                w.resolve("codex.yaml"),
                "capabilities:\n  networking:\n    overlays:\n      zerotier:\n        enabled: true\n        config: "
                        + ztConf
                        + "\n      tailscale:\n        enabled: true\n        config: " + tsConf
                        + "\n  telemetry:\n    state_dir: " + w.resolve("tstate")
                        + "\ndeployment:\n  verification:\n    - {name: docker-engine, check: docker}\n    - {name: swarm-membership, check: swarm}\n"
                        + "    - {name: overlays, check: overlay}\n    - {name: registered, check: registration}\n");
    }

    static List<String> java(String marker, String main, String... args) {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(
                ChildJvm.java(),
                marker,
                "-XX:TieredStopAtLevel=1",
                "-Djavax.net.ssl.trustStore=" + TRUST,
                "-Djavax.net.ssl.trustStorePassword=" + TRUST_PASS,
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp",
                cp,
                main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** In the node's network and uts namespaces, straight through nsenter (no shell in between to inherit the secrets). */
    static Run inNode(Lab lab, LabNode node, String marker, String main, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                "nsenter",
                "--net=/run/netns/" + node.namespace(),
                "--uts=" + lab.dir().resolve("node" + node.index()).resolve("uts")));
        cmd.addAll(java(marker, main, args));
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("DOCKER_HOST", node.dockerHost());
        return run(main, cmd, e);
    }

    static Run onHost(String marker, String main, Map<String, String> env, String... args) {
        return run(main, java(marker, main, args), env);
    }

    /** Runs with exactly this environment (plus PATH, HOME, LANG, NO_COLOR): nothing else of ours is inherited. */
    static Run run(String what, List<String> cmd, Map<String, String> env) {
        Map<String, String> e = new java.util.HashMap<>();
        System.getenv().keySet().forEach(k -> e.put(k, null));
        e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("HOME", tmp.resolve("home").toString());
        e.put("LANG", "C.UTF-8");
        e.put("NO_COLOR", "1");
        e.putAll(env);
        ChildJvm.Result r = ChildJvm.run(cmd, e, null, java.time.Duration.ofMinutes(5));
        return new Run(what, r.exit(), r.stdout(), r.stderr());
    }
}
