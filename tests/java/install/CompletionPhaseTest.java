package install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import lib.cli.Completion;
import lib.config.Resources;
import lib.install.CompletionPhase;
import lib.install.FileChange;
import lib.install.InstallOptions;
import lib.install.Installer;
import lib.install.Plan;
import lib.install.TargetRoot;
import lib.install.Uninstaller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install.java's shell completion phase on a scratch root: the plan shows every file as a diff and writes
 * nothing, the run writes exactly the shipped files (0644, under --root), a re-run says "unchanged", a
 * hand-edited file is written back, a file of a script no longer shipped goes, and --uninstall removes
 * them all with the folder it made.
 */
class CompletionPhaseTest {
    static final List<String> SCRIPTS =
            List.of("install", "swarm-join", "telemetry", "build-amd", "build-arm", "tfc-sync");

    @TempDir
    Path dir;

    Plan run(TestHost h, boolean dryRun) {
        return new Installer(List.of(new CompletionPhase()))
                .run(h.context(InstallOptions.defaults().withDryRun(dryRun)));
    }

    Path installed(TestHost h, String script) {
        return h.root.resolve(CompletionPhase.path(script).substring(1));
    }

    @Test
    void everyScriptHasAShippedFile() {
        assertEquals(SCRIPTS, Completion.scripts());
        for (String s : SCRIPTS) assertEquals("/etc/bash_completion.d/pr-cybr-" + s, CompletionPhase.path(s));
    }

    @Test
    void theDryRunPlanShowsEachFileAsADiffAndWritesNothing() {
        TestHost h = new TestHost(dir);
        Snapshot before = Snapshot.of(h.root);
        Captured c = Captured.of(
                () -> h.run(InstallOptions.defaults().withDryRun(true)).run());
        assertEquals(0, c.code(), c.err());
        String plan = c.out();
        assertTrue(plan.contains("[7/9] Shell completion: planned, 6 actions\n"), plan);
        for (String s : SCRIPTS) {
            assertTrue(
                    plan.contains("    write    " + h.root + "/etc/bash_completion.d/pr-cybr-" + s + " (new, 0644)\n"
                            + "             --- /dev/null\n"
                            + "             +++ " + h.root + "/etc/bash_completion.d/pr-cybr-" + s + "\n"),
                    s + " in\n" + plan);
        }
        assertTrue(
                plan.contains(
                        "             +complete -F _complete_telemetry.java -o default telemetry.java telemetry.java.sh telemetry.java.bash\n"),
                plan);
        assertEquals(before, Snapshot.of(h.root), "a dry run wrote something");
    }

    @Test
    void installReRunHandEditStaleFileAndUninstall() throws Exception {
        TestHost h = new TestHost(dir);
        Snapshot before = Snapshot.of(h.root);

        Plan first = run(h, false);
        assertEquals("changed", first.phases().get(0).status(false).label());
        for (String s : SCRIPTS) {
            Path f = installed(h, s);
            assertArrayEquals(Resources.bytes(Completion.resource(s)), Files.readAllBytes(f), s);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), s);
        }

        Plan again = run(h, false);
        assertEquals("unchanged", again.phases().get(0).status(false).label());
        assertEquals(
                List.of("6 completion files in " + h.root + "/etc/bash_completion.d"),
                again.phases().get(0).notes());

        Path edited = installed(h, "telemetry");
        Files.writeString(edited, Files.readString(edited).replace("'--daemon'", "'--demon'"));
        Plan repair = run(h, true);
        String text = repair.render();
        assertTrue(
                text.contains("-  local flag_opts=\"'-v' '--verbose' '-q' '--quiet' '--json' '--once' '--demon'"),
                text);
        assertTrue(
                text.contains("+  local flag_opts=\"'-v' '--verbose' '-q' '--quiet' '--json' '--once' '--daemon'"),
                text);
        run(h, false);
        assertArrayEquals(
                Resources.bytes(Completion.resource("telemetry")), Files.readAllBytes(edited), "written back");

        // a script an earlier version shipped and this one does not
        String old = "/etc/bash_completion.d/pr-cybr-retired";
        new Installer(List.of(new lib.install.Phase("old", "an earlier version") {
                    @Override
                    public lib.install.PhasePlan plan(lib.install.InstallContext ctx) {
                        return newPlan().addIfChanges(FileChange.write(new TargetRoot(h.root), old, "# old\n", 0644));
                    }
                }))
                .run(h.context(InstallOptions.defaults()));
        assertTrue(Files.exists(h.root.resolve(old.substring(1))));
        Plan cleanup = run(h, false);
        assertTrue(cleanup.render().contains("remove   " + h.root + old), cleanup.render());
        assertFalse(Files.exists(h.root.resolve(old.substring(1))), "the retired script's completion is removed");
        assertFalse(h.context(InstallOptions.defaults()).state().tracks(old));

        new Installer(Uninstaller.phases(new Uninstaller.Options(true, false, false)))
                .run(h.context(InstallOptions.defaults()));
        for (String s : SCRIPTS) assertFalse(Files.exists(installed(h, s)), s);
        assertFalse(Files.exists(h.root.resolve("etc/bash_completion.d")), "the folder the install made is gone");
        assertEquals(before, Snapshot.of(h.root), before.diff(Snapshot.of(h.root)));
    }

    /** A folder that was there before (bash-completion's own) stays, with what else is in it. */
    @Test
    void anExistingCompletionFolderIsKept() throws Exception {
        TestHost h = new TestHost(dir);
        TestHost.write(h.root.resolve("etc/bash_completion.d/git-prompt"), "# not ours\n");
        run(h, false);
        new Installer(Uninstaller.phases(new Uninstaller.Options(true, false, false)))
                .run(h.context(InstallOptions.defaults()));
        try (var left = Files.list(h.root.resolve("etc/bash_completion.d"))) {
            assertEquals(List.of(h.root.resolve("etc/bash_completion.d/git-prompt")), left.toList());
        }
    }
}
