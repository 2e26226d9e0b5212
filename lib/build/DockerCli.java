package lib.build;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.host.Arch;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import lib.secret.Secret;
import lib.secret.SecretSource;

/**
 * The docker and buildx command lines the image build runs, built here (pure, unit-tested) and run through
 * {@link ProcessRunner}. Docker's own client settings (DOCKER_HOST, DOCKER_CONFIG, ...) are handed on from
 * the command's environment. No secret ever goes on a command line: the registry password reaches
 * {@code docker login} on its standard input.
 */
public class DockerCli {
    /** Environment the docker CLI and buildx read, passed on to every docker process. */
    public static final List<String> PASS_ENV = List.of(
            "DOCKER_HOST",
            "DOCKER_CONFIG",
            "DOCKER_CONTEXT",
            "DOCKER_CERT_PATH",
            "DOCKER_TLS_VERIFY",
            "BUILDX_CONFIG",
            "BUILDX_NO_DEFAULT_ATTESTATIONS",
            "SOURCE_DATE_EPOCH");
    /** Secrets this project reads from the environment: docker and buildx need none, so their processes do not inherit them. */
    public static final List<String> SCRUB_ENV = SecretSource.ENVIRONMENT;

    static final Pattern PUSH_DIGEST = Pattern.compile("(?m)^\\S+: digest: (sha256:[0-9a-f]{64}) size: [0-9]+\\s*$");

    private final ProcessRunner runner;
    private final Map<String, String> env;
    private final String docker;

    public DockerCli(ProcessRunner runner, Map<String, String> env, String docker) {
        this.runner = runner;
        this.env = env;
        this.docker = docker;
    }

    public String docker() {
        return docker;
    }

    /** A command with docker's environment handed on and the project's secrets taken out of it. */
    public Command command(List<String> argv, Duration timeout) {
        Command c = Command.of(argv).timeout(timeout);
        for (String k : SCRUB_ENV) c.env(k, (String) null);
        for (String k : PASS_ENV) {
            String v = env.get(k);
            if (v != null) c.env(k, v);
        }
        return c;
    }

    public ProcessResult run(Command c) {
        return runner.run(c);
    }

    public ProcessResult runAnyExit(Command c) {
        return runner.runAnyExit(c);
    }

    // ---- argv builders -------------------------------------------------------------------------------

    public List<String> inspectBuilder(String builder) {
        return List.of(docker, "buildx", "inspect", "--bootstrap", builder);
    }

    public List<String> createBuilder(String builder, String driver, List<String> driverOpts) {
        List<String> a = new ArrayList<>(List.of(docker, "buildx", "create", "--name", builder, "--driver", driver));
        for (String o : driverOpts) {
            a.add("--driver-opt");
            a.add(o);
        }
        a.add("--bootstrap");
        return a;
    }

    /** {@code docker buildx build}, loading the result into the daemon's image store for the smoke test. */
    public List<String> build(BuildSpec s) {
        List<String> a = new ArrayList<>(List.of(
                docker,
                "buildx",
                "build",
                "--builder",
                s.builder(),
                "--platform",
                s.arch().platform(),
                "--file",
                s.dockerfile().toString(),
                "--progress",
                "plain"));
        if (s.network() != null) a.addAll(List.of("--network", s.network()));
        if (s.pull()) a.add("--pull");
        s.buildArgs().forEach((k, v) -> a.addAll(List.of("--build-arg", k + "=" + v)));
        s.labels().forEach((k, v) -> a.addAll(List.of("--label", k + "=" + v)));
        for (String t : s.tags()) a.addAll(List.of("--tag", t));
        for (String c : s.cacheFrom()) a.addAll(List.of("--cache-from", c));
        for (String c : s.cacheTo()) a.addAll(List.of("--cache-to", c));
        a.add("--load");
        a.add(s.context().toString());
        return a;
    }

    /**
     * Creates (does not start) a container of the image for its platform; {@code cmd} replaces the image's CMD
     * (its ENTRYPOINT stays). Prints the container id on stdout and docker's own warnings on stderr, which
     * keeps them apart from what the container prints under {@link #startAttached}.
     */
    public List<String> smokeCreate(String ref, Arch arch, List<String> cmd) {
        List<String> a = new ArrayList<>(List.of(docker, "create", "--pull=never", "--platform", arch.platform(), ref));
        a.addAll(cmd);
        return a;
    }

    /** Starts a created container and relays its stdout and stderr; exits with the container's exit code. */
    public List<String> startAttached(String container) {
        return List.of(docker, "start", "--attach", container);
    }

    public List<String> removeContainer(String container) {
        return List.of(docker, "rm", "--force", container);
    }

    /** The password is read from standard input; only the user name is on the command line. */
    public List<String> login(String registry, String username) {
        List<String> a = new ArrayList<>(List.of(docker, "login", "--username", username, "--password-stdin"));
        if (registry != null && !registry.isEmpty()) a.add(registry);
        return a;
    }

    public Command loginCommand(String registry, String username, Secret password, Duration timeout) {
        return command(login(registry, username), timeout).stdin(password);
    }

    public List<String> imageInspect(String ref) {
        return List.of(docker, "image", "inspect", ref);
    }

    public List<String> push(String ref) {
        return List.of(docker, "push", ref);
    }

    public List<String> imagetoolsCreate(List<String> tags, List<String> sources) {
        List<String> a = new ArrayList<>(List.of(docker, "buildx", "imagetools", "create"));
        for (String t : tags) a.addAll(List.of("--tag", t));
        a.addAll(sources);
        return a;
    }

    public List<String> imagetoolsRaw(String ref) {
        return List.of(docker, "buildx", "imagetools", "inspect", "--raw", ref);
    }

    // ---- output parsing -------------------------------------------------------------------------------

    /** The registry digest from {@code docker push} output ("TAG: digest: sha256:... size: N"). */
    public static Optional<String> pushDigest(String output) {
        Matcher m = PUSH_DIGEST.matcher(output);
        String last = null;
        while (m.find()) last = m.group(1);
        return Optional.ofNullable(last);
    }

    /** The fields of {@code docker buildx inspect} output we use: driver, status and platforms. */
    public record BuilderInfo(String name, String driver, String status, List<String> platforms) {}

    public static BuilderInfo parseInspect(String output) {
        String name = null;
        String driver = null;
        String status = null;
        List<String> platforms = new ArrayList<>();
        for (String line : output.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "Name" -> {
                    if (name == null) name = value;
                }
                case "Driver" -> driver = value;
                case "Status" -> {
                    if (status == null) status = value;
                }
                case "Platforms" -> {
                    for (String p : value.split(",")) {
                        String t = p.strip().replace("*", "");
                        if (!t.isEmpty()) platforms.add(t);
                    }
                }
                default -> {}
            }
        }
        return new BuilderInfo(name, driver, status, platforms);
    }
}
