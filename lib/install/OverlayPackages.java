package lib.install;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.cli.N0d3Exception;
import lib.host.Distro;
import lib.plan.Step;
import lib.proc.Command;

/**
 * The commands that install ZeroTier (zerotier-one) and Tailscale (tailscale) with --install-overlays:
 * the vendors' own package repositories on the Debian and Fedora families (as their install scripts set
 * them up: download.zerotier.com, pkgs.tailscale.com), Alpine's community packages, then the service
 * enabled and started.
 */
public final class OverlayPackages {
    static final Duration TIMEOUT = Duration.ofMinutes(15);

    private OverlayPackages() {}

    public static List<Step<InstallContext>> zerotier(InstallContext ctx) {
        List<Step<InstallContext>> a = new ArrayList<>();
        Distro d = ctx.facts().distro();
        switch (ctx.family()) {
            case DEBIAN -> {
                String key = "/etc/apt/keyrings/zerotier.asc";
                a.add(run(Command.of("install", "-m", "0755", "-d", "/etc/apt/keyrings")));
                a.add(run(Command.of(
                        "curl", "-fsSL", "https://download.zerotier.com/contact%40zerotier.com.gpg", "-o", key)));
                a.add(FileChange.write(
                        ctx.root(),
                        "/etc/apt/sources.list.d/zerotier.list",
                        "deb [signed-by=" + key + "] https://download.zerotier.com/debian/" + codename(d) + " "
                                + codename(d) + " main\n",
                        0644));
                a.add(run(apt("update")));
                a.add(run(apt("install", "-y", "zerotier-one")));
            }
            case FEDORA -> {
                String path = d.id().equals("fedora") ? "fc" : "el";
                a.add(FileChange.write(
                        ctx.root(),
                        "/etc/yum.repos.d/zerotier.repo",
                        "[zerotier]\nname=ZeroTier, Inc. RPM Release Repository\n"
                                + "baseurl=https://download.zerotier.com/redhat/" + path
                                + "/$releasever\nenabled=1\ngpgcheck=1\n"
                                + "gpgkey=https://download.zerotier.com/contact%40zerotier.com.gpg\n",
                        0644));
                a.add(run(Command.of("dnf", "-y", "install", "zerotier-one")));
            }
            case ALPINE -> a.add(run(Command.of("apk", "add", "--no-cache", "zerotier-one")));
            default -> throw N0d3Exception.usage("cannot install ZeroTier on an unknown distribution family");
        }
        ctx.services()
                .enableNow("zerotier-one")
                .forEach(c -> a.add(CommandAction.service(c, "start ZeroTier now and at boot")));
        return a;
    }

    public static List<Step<InstallContext>> tailscale(InstallContext ctx) {
        List<Step<InstallContext>> a = new ArrayList<>();
        Distro d = ctx.facts().distro();
        switch (ctx.family()) {
            case DEBIAN -> {
                String dist = DockerPackages.aptDistribution(
                        d.id(), ctx.facts().osRelease().idLike(), ctx.facts().arch());
                String base = "https://pkgs.tailscale.com/stable/" + dist + "/" + codename(d);
                a.add(run(Command.of(
                        "curl",
                        "-fsSL",
                        base + ".noarmor.gpg",
                        "-o",
                        "/usr/share/keyrings/tailscale-archive-keyring.gpg")));
                a.add(run(Command.of(
                        "curl",
                        "-fsSL",
                        base + ".tailscale-keyring.list",
                        "-o",
                        "/etc/apt/sources.list.d/tailscale.list")));
                a.add(run(apt("update")));
                a.add(run(apt("install", "-y", "tailscale")));
            }
            case FEDORA -> {
                String repo = d.id().equals("fedora")
                        ? "https://pkgs.tailscale.com/stable/fedora/tailscale.repo"
                        : "https://pkgs.tailscale.com/stable/rhel/"
                                + d.versionId().split("\\.")[0] + "/tailscale.repo";
                a.add(run(Command.of("dnf", "-y", "install", "dnf-plugins-core")));
                a.add(run(Command.of("dnf", "config-manager", "--add-repo", repo)));
                a.add(run(Command.of("dnf", "-y", "install", "tailscale")));
            }
            case ALPINE -> a.add(run(Command.of("apk", "add", "--no-cache", "tailscale")));
            default -> throw N0d3Exception.usage("cannot install Tailscale on an unknown distribution family");
        }
        ctx.services()
                .enableNow("tailscaled")
                .forEach(c -> a.add(CommandAction.service(c, "start tailscaled now and at boot")));
        return a;
    }

    private static String codename(Distro d) {
        if (d.codename().isEmpty())
            throw N0d3Exception.usage(
                    "/etc/os-release has no VERSION_CODENAME or UBUNTU_CODENAME to pick the overlay's package repository");
        return d.codename();
    }

    private static Command apt(String... args) {
        List<String> argv = new ArrayList<>(List.of("apt-get"));
        argv.addAll(List.of(args));
        return Command.of(argv).env("DEBIAN_FRONTEND", "noninteractive");
    }

    private static CommandAction run(Command c) {
        return CommandAction.run(c.timeout(TIMEOUT).echo(true), "");
    }
}
