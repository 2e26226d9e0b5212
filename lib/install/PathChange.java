package lib.install;

import lib.plan.Step;

/**
 * An install step that changes one path under the target root (a file, a directory, a symbolic link): the
 * root and the path it works on, as the plan shows them and the install state records them.
 */
public abstract class PathChange extends Step<InstallContext> {
    protected final TargetRoot root;
    protected final String path;

    protected PathChange(TargetRoot root, String path) {
        this.root = root;
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** True when applying the step would change something. */
    public abstract boolean changes();
}
