package lib.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lib.host.Arch;

/** Everything a build decided before anything runs ({@link BuildPlanner}). */
public record BuildPlan(
        List<Arch> archs,
        ImageTags tags,
        Map<String, String> labels,
        Map<String, String> buildArgs,
        Path context,
        Path dockerfile,
        String driver,
        String builder,
        List<String> smokeCmd,
        Duration buildTimeout,
        Duration smokeTimeout,
        boolean push,
        boolean manifest,
        boolean manifestOnly,
        List<Arch> manifestArchs,
        Optional<RegistryCredentials> credentials,
        Arch host) {

    /** True when this platform's binaries need QEMU on this host. */
    public boolean emulated(Arch a) {
        return host == null || (a != host && !(host == Arch.ARM64 && a == Arch.ARMV7));
    }

    /** An ARMv7 platform on an ARM64 host: AArch32 runs natively on most such CPUs, not on all. */
    public boolean aarch32(Arch a) {
        return !emulated(a) && a != host;
    }
}
