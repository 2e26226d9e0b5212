package build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import support.ChildJvm;

/**
 * Runs a systemd unit's ExecStartPre= or ExecStart= line as written, for a node installed under an alternate root
 * R (install --root R), the way systemd would start it, minus systemd's own sandbox: the command line split as
 * systemd splits it ("$$" is "$"), the environment systemd gives a system service (its default PATH, the unit's
 * Environment= and EnvironmentFile=), StateDirectory= made, in WorkingDirectory=.
 *
 * <p>Paths are mapped under R without editing the line: the command runs in a private mount namespace
 * ({@code unshare --mount}) where /etc, /opt and /var/lib are overlays (writes go to a scratch folder, never to the
 * host) with R's etc/pr-cybr, opt/pr-cybr and var/lib/pr-cybr bound at /etc/pr-cybr, /opt/pr-cybr and
 * /var/lib/pr-cybr. So /opt/pr-cybr/n0d3.jar is the jar the installer wrote, /etc/pr-cybr/codex.yaml the node's
 * config and the state dir R's. Two things are not from R: /usr/bin/java is this machine's (R has no JRE), and
 * DOCKER_HOST points at the lab node's dockerd, which stands for the node's /var/run/docker.sock. Specifiers
 * (%d, credentials) are not expanded: Environment= lines that use one are left out.
 */
final class UnitRunner {
    static final String SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String MOUNTS = """
            R=$1; S=$2; WD=$3; shift 3
            for d in etc opt var/lib; do
              mkdir -p "$S/$d/upper" "$S/$d/work"
              mount -t overlay overlay -o "lowerdir=/$d,upperdir=$S/$d/upper,workdir=$S/$d/work" "/$d"
              mkdir -p "/$d/pr-cybr"
              mount --bind "$R/$d/pr-cybr" "/$d/pr-cybr"
            done
            cd "$WD"
            exec "$@"
            """;

    private final Path root;
    private final Path scratch;
    private final String dockerHost;

    UnitRunner(Path root, Path scratch, String dockerHost) {
        this.root = root;
        this.scratch = scratch;
        this.dockerHost = dockerHost;
    }

    /** Runs the unit's first {@code key} line (ExecStartPre or ExecStart), its argv passed through {@code edit}. */
    ChildJvm.Result run(Path unit, String key, UnaryOperator<List<String>> edit) throws IOException {
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().forEach(k -> env.put(k, null));
        env.put("PATH", SYSTEMD_PATH);
        String line = null;
        String workDir = "/";
        for (String raw : Files.readAllLines(unit)) {
            String l = raw.strip();
            if (l.startsWith("Environment=") && !l.contains("%")) {
                for (String kv : split(l.substring("Environment=".length())))
                    env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            } else if (l.startsWith("EnvironmentFile=")) {
                String f = l.substring("EnvironmentFile=".length());
                boolean optional = f.startsWith("-");
                Path p = under(optional ? f.substring(1) : f);
                if (Files.isRegularFile(p)) {
                    for (String e : Files.readAllLines(p)) {
                        if (!e.isBlank() && !e.startsWith("#") && e.contains("="))
                            env.put(
                                    e.substring(0, e.indexOf('=')).strip(),
                                    e.substring(e.indexOf('=') + 1).strip());
                    }
                } else if (!optional) {
                    throw new AssertionError(
                            unit.getFileName() + ": EnvironmentFile " + f + " does not exist under " + root);
                }
            } else if (l.startsWith("StateDirectory=")) {
                for (String d : split(l.substring("StateDirectory=".length()))) {
                    Path p = Files.createDirectories(root.resolve("var/lib").resolve(d));
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                }
            } else if (l.startsWith("WorkingDirectory=")) {
                workDir = l.substring("WorkingDirectory=".length());
            } else if (l.startsWith(key + "=") && line == null) {
                line = l.substring(key.length() + 1);
            }
        }
        if (line == null) throw new AssertionError(unit.getFileName() + ": no " + key + "=");
        env.put("DOCKER_HOST", dockerHost);
        List<String> argv = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--",
                "/bin/sh",
                "-ec",
                MOUNTS,
                "sh",
                root.toString(),
                scratch.toString(),
                workDir));
        argv.addAll(edit.apply(split(line)));
        return ChildJvm.run(argv, env, null, Duration.ofMinutes(3));
    }

    Path under(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /**
     * A command line split the way systemd splits ExecStart=: on white space outside quotes, quotes removed, "$$"
     * turned into "$" (the lines here use no other $ expansion and no backslash escapes).
     */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                if (cur == null) cur = new StringBuilder();
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (cur != null) out.add(cur.toString());
                cur = null;
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(c);
            }
        }
        if (quote != 0) throw new AssertionError("unbalanced quote in: " + line);
        if (cur != null) out.add(cur.toString());
        return out.stream().map(a -> a.replace("$$", "$")).toList();
    }
}
