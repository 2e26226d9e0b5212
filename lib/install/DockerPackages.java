package lib.install;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lib.cli.N0d3Exception;
import lib.host.Distro;
import lib.host.HostFacts;
import lib.plan.Step;
import lib.proc.Command;

/**
 * The exact commands that install (and remove) Docker on each distro family: the distro's own packages
 * (docker.io on the Debian family, moby-engine on Fedora, docker on Alpine) or, with
 * {@code install.docker.source: docker-ce} (and always on RHEL and Rocky, which ship none), Docker's own
 * repository as its documentation sets it up (download.docker.com, signed-by key in /etc/apt/keyrings).
 */
public final class DockerPackages {
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(30);
    static final String APT_KEY = "/etc/apt/keyrings/docker.asc";
    static final String APT_LIST = "/etc/apt/sources.list.d/docker.list";
    static final List<String> CE_PACKAGES =
            List.of("docker-ce", "docker-ce-cli", "containerd.io", "docker-buildx-plugin", "docker-compose-plugin");

    /** What to run, in order, and what it installs. {@code files} are written by the plan (the apt source). */
    public record Install(
            String source,
            String manager,
            List<String> packages,
            List<Step<InstallContext>> actions,
            List<String> notes) {}

    private DockerPackages() {}

    public static Install plan(InstallContext ctx, String wantedSource) {
        Distro.Family fam = ctx.family();
        HostFacts f = ctx.facts();
        String id = f.distro().id();
        List<String> like = f.osRelease().idLike();
        List<Step<InstallContext>> a = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String source = wantedSource == null ? "distro" : wantedSource;
        switch (fam) {
            case DEBIAN -> {
                a.add(apt("update", "refresh the package lists", "apt-get", "update"));
                if (source.equals("distro")) {
                    a.add(apt("install", "the distro's Docker engine", "apt-get", "install", "-y", "docker.io"));
                    return new Install(source, "apt-get", List.of("docker.io"), a, notes);
                }
                String dist = aptDistribution(id, like, f.arch());
                String codename = f.distro().codename();
                if (codename.isEmpty()) {
                    throw N0d3Exception.usage(
                            "install.docker.source is docker-ce but /etc/os-release has no VERSION_CODENAME or UBUNTU_CODENAME to pick the repository");
                }
                a.add(apt(
                        "install",
                        "tools to fetch Docker's key",
                        "apt-get",
                        "install",
                        "-y",
                        "ca-certificates",
                        "curl"));
                a.add(CommandAction.run(
                        Command.of("install", "-m", "0755", "-d", "/etc/apt/keyrings"),
                        "folder for the repository key"));
                a.add(CommandAction.run(
                                Command.of(
                                                "curl",
                                                "-fsSL",
                                                "https://download.docker.com/linux/" + dist + "/gpg",
                                                "-o",
                                                APT_KEY)
                                        .timeout(Duration.ofMinutes(2)),
                                "Docker's repository signing key")
                        .then(c -> c.state().update(InstallState.DOCKER, d -> d.aptKey(APT_KEY))));
                a.add(FileChange.write(
                        ctx.root(),
                        APT_LIST,
                        "deb [arch=" + dpkgArch(f.arch()) + " signed-by=" + APT_KEY
                                + "] https://download.docker.com/linux/" + dist + " " + codename + " stable\n",
                        0644));
                a.add(apt("update", "read Docker's repository", "apt-get", "update"));
                List<String> argv = new ArrayList<>(List.of("apt-get", "install", "-y"));
                argv.addAll(CE_PACKAGES);
                a.add(CommandAction.run(
                        Command.of(argv)
                                .env("DEBIAN_FRONTEND", "noninteractive")
                                .timeout(INSTALL_TIMEOUT)
                                .echo(true),
                        "Docker CE"));
                notes.add("Docker CE from https://download.docker.com/linux/" + dist + " " + codename);
                return new Install(source, "apt-get", CE_PACKAGES, a, notes);
            }
            case FEDORA -> {
                boolean fedora = id.equals("fedora");
                if (!fedora && source.equals("distro")) {
                    notes.add(id + " ships no Docker package: using Docker CE from download.docker.com");
                    source = "docker-ce";
                }
                if (source.equals("distro")) {
                    a.add(CommandAction.run(dnf("install", "moby-engine"), "Fedora's Docker engine"));
                    return new Install(source, "dnf", List.of("moby-engine"), a, notes);
                }
                String repo = "https://download.docker.com/linux/"
                        + (fedora ? "fedora" : id.equals("rhel") ? "rhel" : "centos") + "/docker-ce.repo";
                a.add(CommandAction.run(dnf("install", "dnf-plugins-core"), "dnf config-manager"));
                int major = parseMajor(f.distro().versionId());
                Command addRepo = fedora && major >= 41
                        ? Command.of("dnf", "config-manager", "addrepo", "--from-repofile=" + repo)
                        : Command.of("dnf", "config-manager", "--add-repo", repo);
                a.add(CommandAction.run(addRepo.timeout(Duration.ofMinutes(2)), "Docker's repository")
                        .then(c -> c.state()
                                .update(InstallState.DOCKER, d -> d.dnfRepo("/etc/yum.repos.d/docker-ce.repo"))));
                List<String> ce = new ArrayList<>(List.of("install"));
                ce.addAll(CE_PACKAGES);
                a.add(CommandAction.run(dnf(ce.toArray(String[]::new)), "Docker CE"));
                return new Install(source, "dnf", CE_PACKAGES, a, notes);
            }
            case ALPINE -> {
                if (!source.equals("distro"))
                    notes.add("Docker CE has no Alpine packages: using Alpine's docker package");
                a.add(CommandAction.run(
                        Command.of("apk", "add", "--no-cache", "docker")
                                .timeout(INSTALL_TIMEOUT)
                                .echo(true),
                        "Alpine's Docker engine"));
                return new Install("distro", "apk", List.of("docker"), a, notes);
            }
            default -> throw N0d3Exception.usage("cannot install Docker on an unknown distribution family");
        }
    }

    /** The commands that remove what {@link #plan} installed (package names from the install state). */
    public static List<Command> removal(String manager, List<String> packages) {
        List<String> argv = new ArrayList<>();
        switch (manager) {
            case "apt-get" -> argv.addAll(List.of("apt-get", "remove", "-y"));
            case "dnf" -> argv.addAll(List.of("dnf", "-y", "remove"));
            case "apk" -> argv.addAll(List.of("apk", "del"));
            default ->
                throw N0d3Exception.unexpectedState("unknown package manager '" + manager + "' in the install state");
        }
        argv.addAll(packages);
        Command c = Command.of(argv).timeout(INSTALL_TIMEOUT).echo(true);
        if (manager.equals("apt-get")) c.env("DEBIAN_FRONTEND", "noninteractive");
        return List.of(c);
    }

    /** download.docker.com/linux/{debian,ubuntu,raspbian}: Ubuntu and its derivatives use ubuntu, 32-bit Raspberry Pi OS raspbian. */
    static String aptDistribution(String id, List<String> like, String arch) {
        if (id.equals("ubuntu") || like.contains("ubuntu")) return "ubuntu";
        if (id.equals("raspbian") && "armv7".equals(arch)) return "raspbian";
        return "debian";
    }

    static String dpkgArch(String arch) {
        return switch (arch == null ? "" : arch) {
            case "arm64" -> "arm64";
            case "armv7" -> "armhf";
            default -> "amd64";
        };
    }

    private static CommandAction apt(String verb, String why, String... argv) {
        boolean install = verb.equals("install");
        return CommandAction.run(
                Command.of(argv)
                        .env("DEBIAN_FRONTEND", "noninteractive")
                        .timeout(install ? INSTALL_TIMEOUT : UPDATE_TIMEOUT)
                        .echo(true),
                why);
    }

    private static Command dnf(String... args) {
        List<String> argv = new ArrayList<>(List.of("dnf", "-y"));
        argv.addAll(List.of(args));
        return Command.of(argv).timeout(INSTALL_TIMEOUT).echo(true);
    }

    private static int parseMajor(String v) {
        try {
            return Integer.parseInt(v.split("\\.")[0].toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
