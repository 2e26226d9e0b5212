package lib.install;

/**
 * A symbolic link the installer makes: how {@code systemctl enable} enables a unit
 * (/etc/systemd/system/timers.target.wants/X.timer -> /etc/systemd/system/X.timer), done by hand so that it
 * works the same under an alternate --root and is recorded in the install state like any file.
 */
public final class LinkChange extends PathChange {
    private final String pointsTo;
    private final String current;

    public LinkChange(TargetRoot root, String path, String pointsTo) {
        super(root, path);
        this.pointsTo = pointsTo;
        this.current = root.readLink(path);
    }

    @Override
    public boolean changes() {
        return !pointsTo.equals(current);
    }

    @Override
    public String kind() {
        return "link";
    }

    @Override
    public String summary() {
        return root.show(path) + " -> " + pointsTo;
    }

    @Override
    protected void perform(InstallContext ctx) {
        if (!ctx.state().tracks(path)) ctx.state().noteOriginal(path, root.exists(path) ? new byte[0] : null, -1, null);
        ctx.state().addCreatedDirs(root.symlink(path, pointsTo));
        ctx.state().recordLink(path, pointsTo);
    }
}
