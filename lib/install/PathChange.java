package lib.install;

import java.util.Objects;
import lib.plan.Step;

/**
 * An install step that changes one path under the target root (a file, a directory, a symbolic link): the
 * root and the path it works on, as the plan shows them and the install state records them, and what the
 * path should hold against what it holds now ({@code V}: a file's bytes, a directory's mode, a link's target).
 */
public abstract class PathChange<V> extends Step<InstallContext> {
    protected final TargetRoot root;
    protected final String path;
    /** What the path should hold; null for "absent". */
    protected final V wanted;
    /** What the path holds now, read when the step is made. */
    protected final V current;

    protected PathChange(TargetRoot root, String path, V wanted, V current) {
        this.root = root;
        this.path = path;
        this.wanted = wanted;
        this.current = current;
    }

    public String path() {
        return path;
    }

    /** True when applying the step would change something. */
    public boolean changes() {
        return !Objects.equals(wanted, current);
    }
}
