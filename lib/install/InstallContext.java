package lib.install;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import lib.config.Settings;
import lib.docker.DockerClient;
import lib.host.Distro;
import lib.host.HostFacts;
import lib.proc.ProcessRunner;

/**
 * Everything a phase needs: the target root it writes, the live system it reads kernel facts from
 * (/proc, /sys), the settings, the host facts, the process runner, the Docker client, the install state
 * and the options. One per run.
 *
 * @param live where /proc and /sys are read: the running system's "/" (a fake tree in tests)
 * @param decided what earlier phases of this run decided for the later ones ({@code new Decided()})
 */
public record InstallContext(
        TargetRoot root,
        Path live,
        Settings settings,
        HostFacts facts,
        ProcessRunner runner,
        DockerClient docker,
        InstallState state,
        InstallOptions options,
        Map<String, String> env,
        Clock clock,
        Decided decided) {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What one phase settles for the phases after it, during one run: a new one for each context. */
    public static final class Decided {
        private boolean dockerExpected;
        private final Set<String> plannedDirs = new HashSet<>();
    }

    /** Not the components: the environment may hold secrets (API_TOKEN, TAILSCALE_AUTH_KEY ...). */
    @Override
    public String toString() {
        return "InstallContext(root " + root + (dryRun() ? ", dry run" : "") + ")";
    }

    public boolean dryRun() {
        return options.dryRun();
    }

    public Instant now() {
        return clock.instant();
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
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (!v.equals(own.get(k))) out.put(k, v);
        });
        return out;
    }

    /** Set by the Docker phase: Docker runs now, or will once the plan is applied. */
    public boolean dockerExpected() {
        return decided.dockerExpected;
    }

    public void dockerExpected(boolean v) {
        decided.dockerExpected = v;
    }

    /**
     * Adds a {@link DirChange} for the directory unless it is already as wanted or an earlier phase of this
     * run already planned it (in a dry run nothing exists yet, and each directory should show up once).
     */
    public void ensureDir(PhasePlan p, String path, int mode) {
        if (!decided.plannedDirs.add(path)) return;
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
