package lib.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.host.HostName;
import lib.secret.Secret;
import lib.secret.SecretSource;

/**
 * The node's effective configuration: codex.yaml (operator's file deep-merged over the embedded
 * default) with the original project's environment overrides applied, and the one owner of their
 * precedence: a flag, else an environment variable, else codex.yaml, else a default ({@link #pick}).
 * Secrets are not part of the file; they are read from NAME_FILE or NAME in the environment on demand.
 */
public final class Settings {
    /** Where a codex.yaml is looked for when --config is not given, in order. */
    public static final List<Path> SEARCH = List.of(Path.of("codex.yaml"), Path.of("/etc/pr-cybr/codex.yaml"));
    /** Environment variables read by {@link Settings}, for docs and tests. */
    public static final List<String> ENV = List.of(
            "MGMT_NODE_URL",
            "API_TOKEN",
            "API_TOKEN_FILE",
            "SWARM_JOIN_TOKEN",
            "SWARM_JOIN_TOKEN_FILE",
            "SWARM_MANAGER_IP",
            "ZEROTIER_NETWORK_ID",
            "ZEROTIER_API_TOKEN",
            "TAILSCALE_AUTH_KEY",
            "TAILSCALE_AUTH_KEY_FILE",
            "NODE_NAME",
            "TELEMETRY_INTERVAL",
            "REGISTRY",
            "IMAGE_NAME",
            "VERSION");

    private final Codex codex;
    private final Path source;
    private final Map<String, String> env;

    /** A setting and where it came from, as messages name it: a flag, an environment variable, or codex.yaml and its key. */
    public record Value<T>(T value, String from) {}

    /**
     * The precedence of every setting: the flag when given ({@code given} not null), else the environment variable
     * when set (blank counts as unset; the value is stripped), else {@code otherwise}: codex.yaml's key or a default.
     */
    public static Value<String> pick(
            String given, String flag, Map<String, String> env, String variable, Value<String> otherwise) {
        Value<String> v = given(given, flag, env, variable);
        return v != null ? v : otherwise;
    }

    /** {@link #pick(String, String, Map, String, Value)} whose last resort costs something (reading codex.yaml, running git): asked for only when needed. */
    public static Value<String> pick(
            String given, String flag, Map<String, String> env, String variable, Supplier<Value<String>> rest) {
        Value<String> v = given(given, flag, env, variable);
        return v != null ? v : rest.get();
    }

    /** For a setting no environment variable overrides: the flag when given, else {@code otherwise}. */
    public static <T> Value<T> pick(T given, String flag, Value<T> otherwise) {
        return given != null ? new Value<>(given, flag) : otherwise;
    }

    private static Value<String> given(String given, String flag, Map<String, String> env, String variable) {
        if (given != null) return new Value<>(given, flag);
        String v = variable == null ? null : env.get(variable);
        return v != null && !v.isBlank() ? new Value<>(v.strip(), variable) : null;
    }

    private Settings(Codex codex, Path source, Map<String, String> env) {
        this.codex = codex;
        this.source = source;
        this.env = env;
    }

    /** Loads {@code explicit}, else the first of {@link #SEARCH} that exists, else the embedded default. */
    public static Settings load(Path explicit, Map<String, String> env) {
        return load(explicit, env, null);
    }

    /**
     * Like {@link #load(Path, Map)}, for commands whose start-up cost matters (telemetry on a timer):
     * when {@code cache} holds the bound codex of exactly this file, embedded default, schema and build
     * ({@link CodexCache}), it is used as is, without YAML parsing, validation or binding; otherwise the
     * full path runs and, when the document is valid, its result is written there (best effort).
     * Environment overrides are applied at use time either way. Null: always the full path.
     */
    public static Settings load(Path explicit, Map<String, String> env, Path cache) {
        Path file = explicit;
        if (file == null) {
            for (Path p : SEARCH) { // a loop, not a stream: a timer run links no lambda here
                if (Files.isRegularFile(p)) {
                    file = p;
                    break;
                }
            }
        }
        byte[] operator = null;
        if (file != null) {
            try {
                operator = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw N0d3Exception.usage(file + ": config file not found");
            } catch (IOException e) {
                throw N0d3Exception.usage(file + ": cannot read config file: " + e.getMessage());
            }
        }
        CodexCache.Inputs in = CodexCache.Inputs.of(operator);
        Codex codex = cache == null ? null : CodexCache.read(cache, in);
        boolean cached = codex != null;
        if (!cached) {
            codex = bind(file, in);
            if (cache != null) CodexCache.write(cache, in, codex);
        }
        if (cache != null && Log.verbose()) { // no message built on a timer run that does not show it
            Log.debug(
                    cached
                            ? "codex: the bound copy in " + cache + " (no YAML parsing, validation or binding)"
                            : "codex: parsed and validated (no usable bound copy in " + cache
                                    + "; one is written there)");
        }
        return withEnvironment(codex, file, env);
    }

    /** The full path: parse the embedded default and the operator's file (once when they are the same bytes), validate, merge, bind. */
    private static Codex bind(Path file, CodexCache.Inputs in) {
        CodexLoader.Document base =
                CodexLoader.parse("codex.yaml (embedded)", new String(in.embedded(), StandardCharsets.UTF_8));
        if (file == null) return bind(base, base);
        if (Arrays.equals(in.operator(), in.embedded()))
            return bind(base, new CodexLoader.Document(file.toString(), base.tree(), base.locations()));
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(in.operator()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw N0d3Exception.usage(file + ": cannot read config file: " + e.getMessage());
        }
        return bind(base, CodexLoader.parse(file.toString(), text));
    }

    /** For tests and tools: a codex given as text. */
    public static Settings fromText(String name, String yaml, Map<String, String> env) {
        CodexLoader.Document base = CodexLoader.parse("codex.yaml (embedded)", CodexLoader.readResource("codex.yaml"));
        return withEnvironment(bind(base, CodexLoader.parse(name, yaml)), Path.of(name), env);
    }

    // the same tree object means the embedded default itself is bound: nothing to merge (identity, not equality)
    @SuppressWarnings("ReferenceEquality")
    private static Codex bind(CodexLoader.Document base, CodexLoader.Document doc) {
        CodexLoader.validate(doc, CodexLoader.CODEX_SCHEMA);
        JsonNode merged = doc.tree() == base.tree() ? base.tree() : CodexLoader.merge(base.tree(), doc.tree());
        Codex codex = CodexLoader.bind(doc, merged, Codex.class);
        checkBeyondSchema(doc, codex);
        return codex;
    }

    /**
     * What the schema cannot say, checked on the full path only (so a cached codex has passed it; this class
     * is part of {@link CodexCache}'s build key): a size in range.
     */
    private static void checkBeyondSchema(CodexLoader.Document doc, Codex codex) {
        Codex.TelemetrySpool spool = codex.capabilities().telemetry().spool();
        if (spool != null && spool.maxBytes() != null) {
            try {
                Units.bytes(spool.maxBytes());
            } catch (IllegalArgumentException e) {
                String ptr = "/capabilities/telemetry/spool/max_bytes";
                throw N0d3Exception.usage(CodexLoader.where(
                                doc.name(), doc.locations().get(ptr)) + CodexLoader.field(ptr) + ": " + e.getMessage());
            }
        }
    }

    private static Settings withEnvironment(Codex codex, Path file, Map<String, String> env) {
        Settings s = new Settings(codex, file, env);
        s.checkEnvironment();
        return s;
    }

    /** Environment overrides are checked up front so a bad one fails before anything is done. */
    private void checkEnvironment() {
        mgmtUrl();
        telemetryInterval();
        swarmManagers();
        zerotierNetworkId();
    }

    public Codex codex() {
        return codex;
    }

    /** The operator's file, or null when running on the embedded default. */
    public Path source() {
        return source;
    }

    public String describeSource() {
        return source == null ? "embedded default codex.yaml" : source.toString();
    }

    /** Resolves a path from the config (an overlay's config file, ...) against codex.yaml's folder. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) return p;
        Path dir = source == null ? Path.of("") : source.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p);
    }

    public Map<String, String> env() {
        return env;
    }

    /** codex.yaml's value of {@code key}, named as messages name it. */
    private <T> Value<T> fromFile(T value, String key) {
        return new Value<>(value, describeSource() + ": " + key);
    }

    /** NODE_NAME, else metadata.node_name, else the kernel's host name. */
    public String nodeName() {
        String n = codex.metadata().nodeName();
        String v = pick(
                        null,
                        null,
                        env,
                        "NODE_NAME",
                        new Value<>(n == null || n.isBlank() ? null : n, "metadata.node_name"))
                .value();
        return v != null ? v : HostName.kernel();
    }

    /** MGMT_NODE_URL, else management.api_endpoint; empty when standalone. */
    public Optional<URI> mgmtUrl() {
        Value<String> url = pick(
                null,
                null,
                env,
                "MGMT_NODE_URL",
                fromFile(codex.management().apiEndpoint(), "management.api_endpoint"));
        String v = url.value();
        String from = url.from();
        if (v == null || v.isBlank()) return Optional.empty();
        try {
            String stripped = v.strip();
            int end = stripped.length();
            while (end > 0 && stripped.charAt(end - 1) == '/')
                end--; // trailing slashes off (no pattern on a timer run)
            URI u = new URI(stripped.substring(0, end));
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null)
                throw new IllegalArgumentException();
            return Optional.of(u);
        } catch (Exception e) {
            throw N0d3Exception.usage(
                    from + ": expected an http(s) URL such as https://mgmt.example:8443, got '" + v + "'");
        }
    }

    public Duration mgmtTimeout() {
        return codex.management().timeout();
    }

    public boolean mgmtVerifyTls() {
        return !Boolean.FALSE.equals(codex.management().verifyTls());
    }

    public Optional<Secret> apiToken() {
        return SecretSource.resolve("API_TOKEN", null, env);
    }

    /** The swarm join token: an explicit file (flag) first, then SWARM_JOIN_TOKEN_FILE, then SWARM_JOIN_TOKEN. */
    public Optional<Secret> swarmJoinToken(Path fileFlag) {
        return SecretSource.resolve("SWARM_JOIN_TOKEN", fileFlag, env);
    }

    public String swarmRole() {
        return swarmRole(null);
    }

    /** --role (worker or manager, any case), else capabilities.swarm.role. */
    public String swarmRole(String flag) {
        if (flag == null) return codex.capabilities().swarm().role();
        String r = flag.strip().toLowerCase(Locale.ROOT);
        if (!r.equals("worker") && !r.equals("manager"))
            throw N0d3Exception.usage("--role: expected worker or manager, got '" + flag + "'");
        return r;
    }

    public List<String> swarmManagers() {
        return swarmManagers(List.of()).value();
    }

    /**
     * --manager (blank ones dropped), else SWARM_MANAGER_IP (comma or space separated), else capabilities.swarm.managers;
     * the source reads "--manager", "SWARM_MANAGER_IP" or "codex.yaml".
     */
    public Value<List<String>> swarmManagers(List<String> flag) {
        if (!flag.isEmpty())
            return new Value<>(flag.stream().filter(m -> !m.isBlank()).toList(), "--manager");
        Value<String> v = pick(null, null, env, "SWARM_MANAGER_IP", new Value<>(null, "codex.yaml"));
        if (v.value() == null) {
            List<String> m = codex.capabilities().swarm().managers();
            return new Value<>(m == null ? List.of() : List.copyOf(m), v.from());
        }
        List<String> out = new ArrayList<>();
        for (String part : v.value().split("[,\\s]+")) {
            if (part.isBlank()) continue;
            if (!part.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
                throw N0d3Exception.usage(
                        "SWARM_MANAGER_IP: expected a comma list of host or host:port, got '" + part + "'");
            }
            out.add(part);
        }
        return new Value<>(out, v.from());
    }

    /** --probe-timeout, else capabilities.swarm.probe_timeout. */
    public Duration swarmProbeTimeout(Duration flag) {
        return flag != null ? flag : codex.capabilities().swarm().probeTimeout();
    }

    /** --join-timeout, else capabilities.swarm.join_timeout. */
    public Duration swarmJoinTimeout(Duration flag) {
        return flag != null ? flag : codex.capabilities().swarm().joinTimeout();
    }

    public Optional<String> zerotierNetworkId() {
        String v = pick(null, null, env, "ZEROTIER_NETWORK_ID", new Value<>(null, null))
                .value();
        if (v == null) return Optional.empty();
        if (!v.matches("[0-9a-fA-F]{16}")) {
            throw N0d3Exception.usage("ZEROTIER_NETWORK_ID: expected 16 hexadecimal digits, got '" + v + "'");
        }
        return Optional.of(v.toLowerCase(Locale.ROOT));
    }

    public Optional<Secret> zerotierApiToken() {
        return SecretSource.resolve("ZEROTIER_API_TOKEN", null, env);
    }

    public Optional<Secret> tailscaleAuthKey() {
        return SecretSource.resolve("TAILSCALE_AUTH_KEY", null, env);
    }

    public Duration telemetryInterval() {
        return telemetryInterval(null);
    }

    /**
     * capabilities.telemetry.interval: {@code flag} (--interval, when given), else TELEMETRY_INTERVAL, else
     * the file, else the embedded default. One rule wherever it comes from, above zero ({@link
     * Units#positiveDuration}; for the file, the schema's positiveDuration, refused at load with FILE:LINE:COL);
     * a refusal names the flag or the variable and the key it sets.
     */
    public Duration telemetryInterval(String flag) {
        Value<String> v = pick(
                flag, "--interval", env, "TELEMETRY_INTERVAL", new Value<>(null, "capabilities.telemetry.interval"));
        if (v.value() == null) return codex.capabilities().telemetry().interval();
        try {
            return Units.positiveDuration(v.value());
        } catch (IllegalArgumentException e) {
            String kind = flag != null ? "flag" : "environment variable";
            throw N0d3Exception.usage(
                    v.from() + " (" + kind + ", overrides capabilities.telemetry.interval): " + e.getMessage());
        }
    }

    /** --state-dir, else capabilities.telemetry.state_dir. */
    public Path telemetryStateDir(Path flag) {
        return flag != null ? flag : Path.of(codex.capabilities().telemetry().stateDir());
    }

    /** --textfile-dir, else capabilities.telemetry.textfile_dir; null when neither (no textfile sink). */
    public Path textfileDir(Path flag) {
        String dir = codex.capabilities().telemetry().textfileDir();
        return flag != null ? flag : dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** --listen, else endpoints.metrics.listen: the telemetry daemon's HOST:PORT. */
    public Value<String> metricsListen(String flag) {
        return pick(flag, "--listen", new Value<>(codex.endpoints().metrics().listen(), "endpoints.metrics.listen"));
    }

    /**
     * A value of the image build (build_amd.java, build_arm.java): its flag, else its environment variable, else
     * codex.yaml's {@code key}, as {@link #read} finds it. (A switch, not a lambda per setting: Settings is loaded by
     * every command, the telemetry timer's included, which would link three lambdas for nothing.)
     */
    public record BuildSetting(String flag, String variable, String key) {
        /** Its value in {@code c}. */
        public String read(Codex c) {
            return switch (flag) {
                case "--registry" -> c.build().registry();
                case "--image" -> c.build().imageName();
                case "--image-version" -> {
                    String b = c.build().version();
                    yield b == null || b.isBlank() ? c.metadata().version() : b;
                }
                default -> throw new IllegalStateException("no codex.yaml key read for " + flag);
            };
        }
    }

    /** build.registry: --registry, else REGISTRY, else codex.yaml. */
    public static final BuildSetting REGISTRY = new BuildSetting("--registry", "REGISTRY", "build.registry");
    /** build.image_name: --image, else IMAGE_NAME, else codex.yaml. */
    public static final BuildSetting IMAGE_NAME = new BuildSetting("--image", "IMAGE_NAME", "build.image_name");
    /** --image-version, else VERSION, else build.version, else metadata.version. */
    public static final BuildSetting IMAGE_VERSION =
            new BuildSetting("--image-version", "VERSION", "build.version (or metadata.version)");

    /** A build setting from this environment and file, with no flag given. */
    public String build(BuildSetting s) {
        return build(s, null, env, () -> this).value();
    }

    /** A build setting: {@code flag} when given, else the environment, else codex.yaml, loaded only then ({@code file}). */
    public static Value<String> build(BuildSetting s, String flag, Map<String, String> env, Supplier<Settings> file) {
        return pick(flag, s.flag(), env, s.variable(), () -> file.get().fromFile(s.read(file.get().codex), s.key()));
    }

    @Override
    public String toString() {
        return "Settings(" + describeSource() + ", env "
                + Arrays.toString(ENV.stream().filter(env::containsKey).toArray()) + ")";
    }
}
