package lib.install;

/**
 * A symbolic link the installer makes: how {@code systemctl enable} enables a unit
 * (/etc/systemd/system/timers.target.wants/X.timer -> /etc/systemd/system/X.timer), done by hand so that it
 * works the same under an alternate --root and is recorded in the install state like any file.
 */
public final class LinkChange extends PathChange<String> {
    public LinkChange(TargetRoot root, String path, String pointsTo) {
        super(root, path, pointsTo, root.readLink(path));
    }

    @Override
    public String kind() {
        return "link";
    }

    @Override
    public String summary() {
        return root.show(path) + " -> " + wanted;
    }

    @Override
    protected void perform(InstallContext ctx) {
        if (!ctx.state().tracks(path)) ctx.state().noteOriginal(path, root.exists(path) ? new byte[0] : null, -1, null);
        ctx.state().addCreatedDirs(root.symlink(path, wanted));
        ctx.state().recordLink(path, wanted);
    }
}
