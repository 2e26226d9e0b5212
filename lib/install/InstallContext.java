package lib.install;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import lib.config.Settings;
import lib.docker.DockerClient;
import lib.host.Distro;
import lib.host.HostFacts;
import lib.proc.ProcessRunner;

/**
 * Everything a phase needs: the target root it writes, the live system it reads kernel facts from
 * (/proc, /sys), the settings, the host facts, the process runner, the Docker client, the install state
 * and the options. One per run.
 */
public final class InstallContext {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final TargetRoot root;
    private final Path live;
    private final Settings settings;
    private final HostFacts facts;
    private final ProcessRunner runner;
    private final DockerClient docker;
    private final InstallState state;
    private final InstallOptions options;
    private final Map<String, String> env;
    private final Clock clock;
    private boolean dockerExpected;
    private final java.util.Set<String> plannedDirs = new java.util.HashSet<>();

    public InstallContext(
            TargetRoot root,
            Path live,
            Settings settings,
            HostFacts facts,
            ProcessRunner runner,
            DockerClient docker,
            InstallState state,
            InstallOptions options,
            Map<String, String> env,
            Clock clock) {
        this.root = root;
        this.live = live;
        this.settings = settings;
        this.facts = facts;
        this.runner = runner;
        this.docker = docker;
        this.state = state;
        this.options = options;
        this.env = env;
        this.clock = clock;
    }

    public TargetRoot root() {
        return root;
    }

    /** Where /proc and /sys are read: the running system's "/" (a fake tree in tests). */
    public Path live() {
        return live;
    }

    public Settings settings() {
        return settings;
    }

    public HostFacts facts() {
        return facts;
    }

    public ProcessRunner runner() {
        return runner;
    }

    public DockerClient docker() {
        return docker;
    }

    public InstallState state() {
        return state;
    }

    public InstallOptions options() {
        return options;
    }

    public boolean dryRun() {
        return options.dryRun();
    }

    public Map<String, String> env() {
        return env;
    }

    public Instant now() {
        return clock.instant();
    }

    public Clock clock() {
        return clock;
    }

    /** The distro family the installer acts on: the detected one, or --force-distro for an unknown one. */
    public Distro.Family family() {
        Distro.Family f = facts.distro().family();
        return f == Distro.Family.UNKNOWN && options.forceDistro() != null ? options.forceDistro() : f;
    }

    public ServiceManager services() {
        return ServiceManager.of(facts.initSystem());
    }

    /** A program found on the PATH of the environment the installer was given. */
    public Optional<Path> program(String name) {
        return ProcessRunner.which(name, env);
    }

    /**
     * The installer's environment where it differs from this process's own: added to every overlay CLI the
     * installer runs (the same map in production; tests point the CLIs at their fakes' state this way).
     */
    public Map<String, String> childEnv() {
        Map<String, String> own = System.getenv();
        Map<String, String> out = new java.util.TreeMap<>();
        env.forEach((k, v) -> {
            if (!v.equals(own.get(k))) out.put(k, v);
        });
        return out;
    }

    /** Set by the Docker phase: Docker runs now, or will once the plan is applied. */
    public boolean dockerExpected() {
        return dockerExpected;
    }

    public void dockerExpected(boolean v) {
        dockerExpected = v;
    }

    /**
     * Adds a {@link DirChange} for the directory unless it is already as wanted or an earlier phase of this
     * run already planned it (in a dry run nothing exists yet, and each directory should show up once).
     */
    public void ensureDir(PhasePlan p, String path, int mode) {
        if (!plannedDirs.add(path)) return;
        p.addIfChanges(DirChange.ensure(root, path, mode));
    }

    /** Copies {@code bytes} to the backup folder (0600) as PATH.STAMP; returns the backup's target path. */
    public String backup(String path, byte[] bytes) {
        String copy = InstallState.BACKUP_DIR + path + "." + STAMP.format(now());
        state.addCreatedDirs(root.write(copy, bytes, 0600));
        state.recordBackup(copy);
        return copy;
    }
}
