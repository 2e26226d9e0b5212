package lib.install;

/** A directory the installer owns: created with its mode, or its mode corrected. */
public final class DirChange extends PathChange<Integer> {
    /** {@link #current} is -1 where there is no directory. */
    private DirChange(TargetRoot root, String path, int mode) {
        super(root, path, mode, root.isDirectory(path) ? root.mode(path) : -1);
    }

    public static DirChange ensure(TargetRoot root, String path, int mode) {
        return new DirChange(root, path, mode);
    }

    @Override
    public String kind() {
        return current < 0 ? "mkdir" : "chmod";
    }

    @Override
    public String summary() {
        String shown = root.show(path);
        return current < 0
                ? shown + " (" + Modes.format(wanted) + ", owner root:root)"
                : shown + " (mode " + Modes.format(current) + " -> " + Modes.format(wanted) + ")";
    }

    @Override
    protected void perform(InstallContext ctx) {
        InstallState state = ctx.state();
        if (!state.tracksDir(path)) state.noteOriginalDir(path, current);
        state.addCreatedDirs(root.mkdirs(path, wanted));
        state.recordDir(path, wanted);
    }
}
