package lib.install;

import java.time.Duration;
import lib.host.Distro;

/**
 * The flags of install.java that change what the installer does (the output flags stay in the script).
 *
 * @param dryRun             print the plan, change nothing
 * @param forceDistro        treat an unknown distro as this family (null: refuse unknown ones)
 * @param installOverlays    install the ZeroTier / Tailscale packages when missing
 * @param requireRegistration a failed registration fails the install (exit 1) instead of warning
 * @param pollInterval       how often to look while waiting
 * @param jar                the n0d3.jar to install as /opt/pr-cybr/n0d3.jar for the services (null: the running jar, if any)
 */
public record InstallOptions(
        boolean dryRun,
        Distro.Family forceDistro,
        boolean installOverlays,
        boolean requireRegistration,
        Duration pollInterval,
        java.nio.file.Path jar) {

    public static InstallOptions defaults() {
        return new InstallOptions(false, null, false, false, Duration.ofSeconds(2), null);
    }

    public InstallOptions withDryRun(boolean v) {
        return new InstallOptions(v, forceDistro, installOverlays, requireRegistration, pollInterval, jar);
    }

    public InstallOptions withForceDistro(Distro.Family v) {
        return new InstallOptions(dryRun, v, installOverlays, requireRegistration, pollInterval, jar);
    }

    public InstallOptions withInstallOverlays(boolean v) {
        return new InstallOptions(dryRun, forceDistro, v, requireRegistration, pollInterval, jar);
    }

    public InstallOptions withRequireRegistration(boolean v) {
        return new InstallOptions(dryRun, forceDistro, installOverlays, v, pollInterval, jar);
    }

    public InstallOptions withJar(java.nio.file.Path v) {
        return new InstallOptions(dryRun, forceDistro, installOverlays, requireRegistration, pollInterval, v);
    }

    public InstallOptions withPollInterval(Duration v) {
        return new InstallOptions(dryRun, forceDistro, installOverlays, requireRegistration, v, jar);
    }
}
