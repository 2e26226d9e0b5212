package lib.install;

import java.util.ArrayList;
import java.util.List;
import lib.cli.Completion;
import lib.config.Resources;

/**
 * Phase 7, shell completion: each script's bash completion file (picocli's, generated from the script's options and
 * shipped with install.java, {@link Completion}) written to /etc/bash_completion.d/pr-cybr-SCRIPT, which
 * bash-completion reads in every new interactive bash; zsh users source the same files (they start zsh's
 * bashcompinit themselves). Files of scripts no longer shipped are removed; --uninstall removes them all
 * like every file the installer wrote.
 */
public final class CompletionPhase extends Phase {
    public static final String DIR = "/etc/bash_completion.d";
    private static final String PREFIX = "pr-cybr-";

    public CompletionPhase() {
        super("completion", "Shell completion");
    }

    /** Where a script's completion is installed: swarm-join → /etc/bash_completion.d/pr-cybr-swarm-join. */
    public static String path(String script) {
        return DIR + "/" + PREFIX + script;
    }

    @Override
    public PhasePlan plan(InstallContext ctx) {
        PhasePlan p = newPlan();
        List<String> wanted = new ArrayList<>();
        for (String script : Completion.scripts()) {
            String path = path(script);
            wanted.add(path);
            p.addIfChanges(FileChange.write(ctx.root(), path, Resources.bytes(Completion.resource(script)), 0644));
        }
        for (String tracked : ctx.state().trackedFiles()) {
            if (tracked.startsWith(DIR + "/" + PREFIX) && !wanted.contains(tracked))
                p.addIfChanges(FileChange.remove(ctx.root(), tracked));
        }
        if (!p.hasChanges())
            p.note(wanted.size() + " completion files in " + ctx.root().show(DIR));
        return p;
    }
}
