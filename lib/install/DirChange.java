package lib.install;

import lib.plan.Step;

/** A directory the installer owns: created with its mode, or its mode corrected. */
public final class DirChange extends Step<InstallContext> {
    private final TargetRoot root;
    private final String path;
    private final int mode;
    private final int currentMode;

    private DirChange(TargetRoot root, String path, int mode) {
        this.root = root;
        this.path = path;
        this.mode = mode;
        this.currentMode = root.isDirectory(path) ? root.mode(path) : -1;
    }

    public static DirChange ensure(TargetRoot root, String path, int mode) {
        return new DirChange(root, path, mode);
    }

    public boolean changes() {
        return currentMode != mode;
    }

    public String path() {
        return path;
    }

    @Override
    public String kind() {
        return currentMode < 0 ? "mkdir" : "chmod";
    }

    @Override
    public String summary() {
        String shown = root.show(path);
        return currentMode < 0 ? shown + " (" + Modes.format(mode) + ", owner root:root)"
                : shown + " (mode " + Modes.format(currentMode) + " -> " + Modes.format(mode) + ")";
    }

    @Override
    protected void perform(InstallContext ctx) {
        InstallState state = ctx.state();
        if (!state.tracksDir(path)) state.noteOriginalDir(path, currentMode);
        state.addCreatedDirs(root.mkdirs(path, mode));
        state.recordDir(path, mode);
    }
}
