package lib.build;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.host.Arch;
import lib.plan.Step;
import lib.plan.Steps;
import lib.proc.ProcessRunner;

/**
 * QEMU user emulation for the platforms this host does not run natively, as the build's first steps: each
 * platform is native or checked against binfmt_misc (a missing handler is exit 3 naming --setup-qemu), and
 * with --setup-qemu the missing handlers are registered ({@link BinfmtSetup}) and then checked again.
 */
final class Emulation {
    private final Binfmt binfmt;
    private final boolean setupQemu;
    private final ProcessRunner runner;

    Emulation(Binfmt binfmt, boolean setupQemu, ProcessRunner runner) {
        this.binfmt = binfmt;
        this.setupQemu = setupQemu;
        this.runner = runner;
    }

    /** An ARMv7 platform on an ARM64 host runs natively unless --setup-qemu asks for QEMU all the same. */
    private boolean foreign(BuildPlan p, Arch a) {
        return p.emulated(a) || (p.aarch32(a) && setupQemu);
    }

    /**
     * The qemu steps of a build, in the order of the platforms: native, a handler found, or (with --setup-qemu, at the
     * first platform without one) the registration steps. Reads binfmt_misc, changes nothing; exit 3 for a missing
     * handler without --setup-qemu.
     */
    void addTo(Steps<BuildReport> steps, BuildPlan p) {
        List<Arch> foreign = p.archs().stream().filter(a -> foreign(p, a)).toList();
        Map<Arch, Binfmt.Check> checks = new EnumMap<>(Arch.class);
        List<Arch> missing = new ArrayList<>();
        for (Arch a : foreign) {
            Binfmt.Check c = binfmt.check(a);
            if (!c.ok() && !setupQemu) throw N0d3Exception.unexpectedState(binfmt.problem(c));
            if (c.ok()) checks.put(a, c);
            else missing.add(a);
        }
        List<BinfmtSetup.Step> setup =
                missing.isEmpty() ? List.of() : new BinfmtSetup(binfmt, BinfmtSetup.CONF_DIRS, runner).plan(missing);
        for (Arch a : p.archs()) {
            if (!foreign.contains(a)) {
                steps.add(Step.of(
                        "native",
                        a.platform() + " runs natively on this " + p.host().platform() + " host",
                        r -> {
                            if (p.aarch32(a)) {
                                Log.info(a.platform() + ": assuming this "
                                        + p.host().platform() + " CPU runs it natively (AArch32); if its smoke test"
                                        + " fails with 'exec format error', run again with --setup-qemu");
                            }
                        }));
            } else if (checks.containsKey(a)) {
                String found = binfmt.problem(checks.get(a));
                steps.add(Step.of("qemu", found, r -> Log.debug(found)));
            } else if (a == missing.get(0)) {
                for (BinfmtSetup.Step s : setup) {
                    steps.add(Step.of("qemu", s.describe(), r -> {
                        Log.info("binfmt: " + s.describe());
                        s.apply().run();
                    }));
                }
            }
        }
        if (!setupQemu || steps.isEmpty()) return;
        if (foreign.isEmpty()) {
            steps.last()
                    .then(r ->
                            Log.ok("--setup-qemu: every platform asked for runs natively here; nothing to register"));
            return;
        }
        // afterwards every foreign platform must check OK (said once more, or found so from the start)
        steps.last().then(r -> {
            for (Arch a : foreign) {
                Binfmt.Check c = binfmt.check(a);
                if (!c.ok())
                    throw N0d3Exception.failure("--setup-qemu: " + a.platform()
                            + " is still not runnable after registering: " + binfmt.problem(c));
                Log.ok("binfmt: " + binfmt.problem(c) + (setup.isEmpty() ? "; nothing to change" : ""));
            }
        });
    }

    /** What --qemu-only prints: each platform's handler, or that it is native here. */
    List<String> status(BuildPlan p) {
        return p.archs().stream()
                .map(a -> foreign(p, a)
                        ? binfmt.problem(binfmt.check(a))
                        : a.platform() + ": native on this " + p.host().platform() + " host")
                .toList();
    }
}
