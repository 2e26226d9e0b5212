package lib.host;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lib.docker.DockerClient;
import lib.json.Json;
import lib.proc.ProcessRunner;

/**
 * What the installer needs to know about a host before it changes anything. {@code root} is the
 * file system root that is read (an alternate root in tests, like dpkg --root); the kernel facts
 * (architecture, /proc) always come from the running system.
 */
public record HostFacts(
        String machine,
        String arch,
        String archError,
        OsRelease osRelease,
        Distro distro,
        String initSystem,
        boolean systemdRunning,
        String container,
        boolean wsl,
        boolean dockerCliPresent,
        boolean dockerdPresent,
        boolean dockerRunning,
        String dockerVersion,
        String dockerApiVersion) {

    public static HostFacts detect(Path root, Map<String, String> env) {
        String machine = System.getProperty("os.arch");
        try {
            machine = new ProcessRunner()
                    .run(lib.proc.Command.of("uname", "-m").timeout(java.time.Duration.ofSeconds(5)))
                    .stdout()
                    .strip();
        } catch (RuntimeException e) {
            // keep os.arch
        }
        return detect(root, env, machine, Path.of("/"));
    }

    /** {@code proc} is the root under which /proc and /run are read: the real "/" except in tests. */
    public static HostFacts detect(Path root, Map<String, String> env, String machine, Path live) {
        String arch = null;
        String archError = null;
        try {
            arch = Arch.fromMachine(machine).id();
        } catch (RuntimeException e) {
            archError = e.getMessage();
        }
        OsRelease os = OsRelease.read(root);
        boolean systemd = Files.isDirectory(live.resolve("run/systemd/system"));
        String init = systemd
                ? "systemd"
                : Files.isExecutable(root.resolve("sbin/openrc")) || Files.isExecutable(root.resolve("sbin/openrc-run"))
                        ? "openrc"
                        : "none";
        String container = container(live, env);
        boolean wsl = read(live.resolve("proc/sys/kernel/osrelease"))
                .toLowerCase(Locale.ROOT)
                .contains("microsoft");
        boolean cli = ProcessRunner.onPath("docker");
        boolean dockerd = ProcessRunner.onPath("dockerd");
        DockerClient docker = DockerClient.fromEnv(env);
        boolean running = false;
        String version = null;
        String api = null;
        if (docker.ping()) {
            running = true;
            try {
                var v = docker.version();
                version = v.path("Version").asText(null);
                api = v.path("ApiVersion").asText(null);
            } catch (RuntimeException e) {
                // running but odd: leave the versions unknown
            }
        }
        return new HostFacts(
                machine,
                arch,
                archError,
                os,
                Distro.of(os),
                init,
                systemd,
                container,
                wsl,
                cli,
                dockerd,
                running,
                version,
                api);
    }

    /** "docker", "podman", "lxc", "container" (unknown kind), or "" when not in a container. */
    static String container(Path live, Map<String, String> env) {
        String c = env.getOrDefault("container", "");
        if (!c.isEmpty()) return c;
        if (Files.exists(live.resolve(".dockerenv"))) return "docker";
        if (Files.exists(live.resolve("run/.containerenv"))) return "podman";
        String cg = read(live.resolve("proc/1/cgroup"));
        if (cg.contains("/docker/") || cg.contains("/docker-")) return "docker";
        if (cg.contains("/lxc/")) return "lxc";
        if (cg.contains("kubepods")) return "kubernetes";
        return "";
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("machine", machine);
        m.put("architecture", arch != null ? arch : "unsupported");
        m.put("distro_id", distro.id());
        m.put("distro_like", osRelease.idLike());
        m.put("distro_version", distro.versionId());
        m.put("distro_codename", distro.codename());
        m.put("distro_name", distro.prettyName());
        m.put("distro_family", distro.family().name().toLowerCase(Locale.ROOT));
        m.put("package_manager", distro.family().packageManager());
        m.put("init_system", initSystem);
        m.put("systemd_running", systemdRunning);
        m.put("container", container.isEmpty() ? null : container);
        m.put("wsl", wsl);
        m.put("docker_cli", dockerCliPresent);
        m.put("dockerd", dockerdPresent);
        m.put("docker_running", dockerRunning);
        m.put("docker_version", dockerVersion);
        m.put("docker_api_version", dockerApiVersion);
        return m;
    }

    public String toJson() {
        ObjectNode n = Json.object();
        asMap().forEach((k, v) -> {
            if (v instanceof Boolean b) {
                n.put(k, b);
            } else if (v instanceof List<?> list) {
                ArrayNode a = n.putArray(k);
                list.forEach(e -> a.add(e.toString()));
            } else {
                n.put(k, v == null ? null : v.toString());
            }
        });
        return Json.pretty(n);
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        asMap().forEach((k, v) -> sb.append(String.format("%-20s %s%n", k, v == null ? "-" : v)));
        return sb.toString().stripTrailing();
    }
}
