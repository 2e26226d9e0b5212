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

    /** What the operator is told, the package, the service it runs and why that service is started. */
    private record Vendor(String product, String pkg, String unit, String why) {}

    private static final Vendor ZEROTIER =
            new Vendor("ZeroTier", "zerotier-one", "zerotier-one", "start ZeroTier now and at boot");
    private static final Vendor TAILSCALE =
            new Vendor("Tailscale", "tailscale", "tailscaled", "start tailscaled now and at boot");

    public static List<Step<InstallContext>> zerotier(InstallContext ctx) {
        return install(ctx, ZEROTIER, OverlayPackages::zerotierDebian, OverlayPackages::zerotierFedora);
    }

    public static List<Step<InstallContext>> tailscale(InstallContext ctx) {
        return install(ctx, TAILSCALE, OverlayPackages::tailscaleDebian, OverlayPackages::tailscaleFedora);
    }

    /** The steps that set up a vendor's package repository and install its package on one distribution family. */
    private interface Repository {
        void steps(InstallContext ctx, Distro d, List<Step<InstallContext>> a);
    }

    /** The vendor's repository on the Debian and Fedora families, Alpine's community package, then the service started. */
    private static List<Step<InstallContext>> install(
            InstallContext ctx, Vendor v, Repository debian, Repository fedora) {
        List<Step<InstallContext>> a = new ArrayList<>();
        Distro d = ctx.facts().distro();
        switch (ctx.family()) {
            case DEBIAN -> debian.steps(ctx, d, a);
            case FEDORA -> fedora.steps(ctx, d, a);
            case ALPINE -> a.add(run(Command.of("apk", "add", "--no-cache", v.pkg())));
            default ->
                throw N0d3Exception.usage("cannot install " + v.product() + " on an unknown distribution family");
        }
        ctx.services().enableNow(v.unit()).forEach(c -> a.add(CommandAction.service(c, v.why())));
        return a;
    }

    private static void zerotierDebian(InstallContext ctx, Distro d, List<Step<InstallContext>> a) {
        String key = "/etc/apt/keyrings/zerotier.asc";
        a.add(run(Command.of("install", "-m", "0755", "-d", "/etc/apt/keyrings")));
        a.add(run(Command.of("curl", "-fsSL", "https://download.zerotier.com/contact%40zerotier.com.gpg", "-o", key)));
        a.add(FileChange.write(
                ctx.root(),
                "/etc/apt/sources.list.d/zerotier.list",
                "deb [signed-by=" + key + "] https://download.zerotier.com/debian/" + codename(d) + " " + codename(d)
                        + " main\n",
                0644));
        a.add(run(apt("update")));
        a.add(run(apt("install", "-y", "zerotier-one")));
    }

    private static void zerotierFedora(InstallContext ctx, Distro d, List<Step<InstallContext>> a) {
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

    private static void tailscaleDebian(InstallContext ctx, Distro d, List<Step<InstallContext>> a) {
        String dist = DockerPackages.aptDistribution(
                d.id(), ctx.facts().osRelease().idLike(), ctx.facts().arch());
        String base = "https://pkgs.tailscale.com/stable/" + dist + "/" + codename(d);
        a.add(run(Command.of(
                "curl", "-fsSL", base + ".noarmor.gpg", "-o", "/usr/share/keyrings/tailscale-archive-keyring.gpg")));
        a.add(run(Command.of(
                "curl", "-fsSL", base + ".tailscale-keyring.list", "-o", "/etc/apt/sources.list.d/tailscale.list")));
        a.add(run(apt("update")));
        a.add(run(apt("install", "-y", "tailscale")));
    }

    private static void tailscaleFedora(InstallContext ctx, Distro d, List<Step<InstallContext>> a) {
        String repo = d.id().equals("fedora")
                ? "https://pkgs.tailscale.com/stable/fedora/tailscale.repo"
                : "https://pkgs.tailscale.com/stable/rhel/" + d.versionId().split("\\.")[0] + "/tailscale.repo";
        a.add(run(Command.of("dnf", "-y", "install", "dnf-plugins-core")));
        a.add(run(Command.of("dnf", "config-manager", "--add-repo", repo)));
        a.add(run(Command.of("dnf", "-y", "install", "tailscale")));
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
