package lib.build;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.host.Arch;
import lib.proc.Command;
import lib.proc.ProcessRunner;

/**
 * {@code --setup-qemu}: makes foreign architectures runnable by registering QEMU's binfmt_misc handlers from
 * the binfmt.d files of the qemu-user-static package (the same lines systemd-binfmt would load; Debian's
 * {@code update-binfmts --enable} does not work inside containers, writing the line does). Mounts binfmt_misc
 * first when needed, replaces a handler that is disabled or lacks the F flag, and leaves a good one alone.
 */
public final class BinfmtSetup {
    /** Searched in systemd's order of precedence. */
    public static final List<Path> CONF_DIRS =
            List.of(Path.of("/etc/binfmt.d"), Path.of("/run/binfmt.d"), Path.of("/usr/lib/binfmt.d"));

    /** One change to make; {@code describe} is what --dry-run prints. */
    public record Step(String describe, Runnable apply) {}

    private final Binfmt binfmt;
    private final List<Path> confDirs;
    private final ProcessRunner runner;

    public BinfmtSetup(Binfmt binfmt, List<Path> confDirs, ProcessRunner runner) {
        this.binfmt = binfmt;
        this.confDirs = confDirs;
        this.runner = runner;
    }

    /** The steps that would make every architecture in {@code archs} runnable; empty when nothing is to be done. */
    public List<Step> plan(List<Arch> archs) {
        List<Step> steps = new ArrayList<>();
        Path dir = binfmt.dir();
        boolean mounted = binfmt.mounted();
        if (!mounted) {
            steps.add(new Step(
                    "mount -t binfmt_misc binfmt_misc " + dir,
                    () -> runner.run(Command.of("mount", "-t", "binfmt_misc", "binfmt_misc", dir.toString())
                            .timeout(Duration.ofSeconds(10)))));
        }
        for (Arch a : archs) {
            Binfmt.Check c = mounted ? binfmt.check(a) : null;
            if (c != null && c.ok()) continue;
            if (c != null && c.state() == Binfmt.State.DISABLED_GLOBALLY) {
                steps.add(new Step(
                        "echo 1 > " + dir.resolve("status") + "  (enable binfmt_misc)",
                        () -> write(dir.resolve("status"), "1")));
                continue;
            }
            // mounted: find the file now, so a missing package fails before anything is changed;
            // not mounted yet: the handler may reappear once mounted, so look only if it is still missing then
            String conf = mounted ? conf(a).toString() : Binfmt.qemuName(a) + ".conf";
            String line = mounted ? confLine(Path.of(conf)) : null;
            if (c != null && c.entry() != null) {
                Path entry = dir.resolve(c.entry().name());
                steps.add(new Step(
                        "echo -1 > " + entry + "  (remove " + c.entry().name() + ": "
                                + (c.state() == Binfmt.State.DISABLED ? "disabled" : "no F flag") + ")",
                        () -> write(entry, "-1")));
            }
            steps.add(new Step(
                    "register " + Binfmt.qemuName(a) + " for " + a.platform() + ": write the line of " + conf + " to "
                            + dir.resolve("register") + (mounted ? "" : " (if missing once mounted)"),
                    () -> {
                        if (binfmt.check(a).ok()) return;
                        write(dir.resolve("register"), line != null ? line : confLine(conf(a)));
                    }));
        }
        return steps;
    }

    /** Applies the plan and proves the outcome: every architecture checks OK afterwards, else exit 1. */
    public void apply(List<Arch> archs) {
        List<Step> steps = plan(archs);
        if (steps.isEmpty()) {
            for (Arch a : archs) Log.ok("binfmt: " + binfmt.problem(binfmt.check(a)) + "; nothing to change");
            return;
        }
        for (Step s : steps) {
            Log.info("binfmt: " + s.describe());
            s.apply().run();
        }
        for (Arch a : archs) {
            Binfmt.Check c = binfmt.check(a);
            if (!c.ok())
                throw N0d3Exception.failure("--setup-qemu: " + a.platform()
                        + " is still not runnable after registering: " + binfmt.problem(c));
            Log.ok("binfmt: " + binfmt.problem(c));
        }
    }

    /** The binfmt.d file for an architecture; exit 3 naming the package when none is installed. */
    Path conf(Arch a) {
        String file = Binfmt.qemuName(a) + ".conf";
        for (Path d : confDirs) {
            Path p = d.resolve(file);
            if (Files.isRegularFile(p)) return p;
        }
        throw N0d3Exception.unexpectedState("--setup-qemu: no " + file + " in "
                + String.join(", ", confDirs.stream().map(Path::toString).toList())
                + ": install QEMU's user emulators (apt-get install qemu-user-static) and run again");
    }

    /** The registration line of a binfmt.d file, checked: its interpreter exists and it has the F flag. */
    static String confLine(Path conf) {
        String text;
        try {
            text = Files.readString(conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw N0d3Exception.unexpectedState(conf + ": cannot read: " + e.getMessage());
        }
        for (String l : text.split("\\R")) {
            String line = l.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            String[] f = line.split(":", -1);
            if (f.length < 7 || !f[0].isEmpty()) {
                throw N0d3Exception.unexpectedState(
                        conf + ": expected a binfmt_misc line :name:type:offset:magic:mask:interpreter:flags, got '"
                                + line + "'");
            }
            String interpreter = f[6];
            String flags = f.length > 7 ? f[7] : "";
            if (!Files.exists(Path.of(interpreter))) {
                throw N0d3Exception.unexpectedState(
                        conf + ": its interpreter " + interpreter + " does not exist: reinstall qemu-user-static");
            }
            if (!flags.contains("F")) {
                throw N0d3Exception.unexpectedState(
                        conf + ": the line has no F (fix binary) flag, so containers could not find " + interpreter
                                + ": use the qemu-user-static package's file");
            }
            return line;
        }
        throw N0d3Exception.unexpectedState(conf + ": no registration line in it");
    }

    /** One write(2) of the whole text, as the kernel's binfmt_misc control files require. */
    static void write(Path file, String text) {
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw N0d3Exception.failure(
                    "--setup-qemu: cannot write " + file + ": " + e.getMessage() + " (binfmt_misc needs root)");
        }
    }
}
