package lib.install;

/** A directory the installer owns: created with its mode, or its mode corrected. */
public final class DirChange extends PathChange {
    private final int mode;
    private final int currentMode;

    private DirChange(TargetRoot root, String path, int mode) {
        super(root, path);
        this.mode = mode;
        this.currentMode = root.isDirectory(path) ? root.mode(path) : -1;
    }

    public static DirChange ensure(TargetRoot root, String path, int mode) {
        return new DirChange(root, path, mode);
    }

    @Override
    public boolean changes() {
        return currentMode != mode;
    }

    @Override
    public String kind() {
        return currentMode < 0 ? "mkdir" : "chmod";
    }

    @Override
    public String summary() {
        String shown = root.show(path);
        return currentMode < 0
                ? shown + " (" + Modes.format(mode) + ", owner root:root)"
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
