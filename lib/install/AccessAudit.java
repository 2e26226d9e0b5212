package lib.install;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The access-control rows of the audit, under the target root: who may read or change what the node's
 * root services trust. Everything must be owned by root (or, for an unprivileged run against a scratch
 * --root, by the user running the installer), and:
 * <ul>
 * <li>{@code config-dir}: /etc/pr-cybr and the files in it (codex.yaml, telemetry.env, swarm-join.env) not
 *     writable by group or others (a root service reads its environment from them);</li>
 * <li>{@code secrets}: /etc/pr-cybr/secrets 0700 and every file in it 0600 or stricter, no symlinks;</li>
 * <li>{@code state-dirs}: /var/lib/pr-cybr not writable by group or others, the install state and the
 *     backups 0600, the telemetry and swarm state dirs 0700, /var/log/pr-cybr 0750.</li>
 * </ul>
 */
final class AccessAudit {
    static final String CHECK = "access";
    private final TargetRoot root;
    private final int self;

    AccessAudit(TargetRoot root, int selfUid) {
        this.root = root;
        this.self = selfUid;
    }

    /** A path and the permission bits it must not have (022: group/other write; 077: any group/other access). */
    record Rule(String path, int forbidden, boolean directory) {}

    void run(VerificationTable out) {
        List<Rule> config = new ArrayList<>(List.of(new Rule(SystemSettingsPhase.ETC_DIR, 022, true)));
        for (String f : files(SystemSettingsPhase.ETC_DIR)) config.add(new Rule(f, 022, false));
        row(out, "config-dir", config);

        List<Rule> secrets = new ArrayList<>(List.of(new Rule(SystemSettingsPhase.SECRETS_DIR, 077, true)));
        for (String f : files(SystemSettingsPhase.SECRETS_DIR)) secrets.add(new Rule(f, 077, false));
        row(out, "secrets", secrets);

        List<Rule> state = new ArrayList<>(List.of(
                new Rule(SystemSettingsPhase.LIB_DIR, 022, true),
                new Rule(InstallState.PATH, 077, false),
                new Rule(SystemSettingsPhase.LIB_DIR + "/telemetry", 077, true),
                new Rule(SystemSettingsPhase.LIB_DIR + "/swarm", 077, true),
                new Rule(SystemSettingsPhase.LOG_DIR, 027, true)));
        for (String f : files(InstallState.BACKUP_DIR)) state.add(new Rule(f, 077, false));
        row(out, "state-dirs", state);
    }

    private void row(VerificationTable out, String name, List<Rule> rules) {
        List<String> bad = new ArrayList<>();
        int seen = 0;
        for (Rule r : rules) {
            Path p = root.resolve(r.path());
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            seen++;
            if (Files.isSymbolicLink(p)) {
                bad.add(root.show(r.path()) + " is a symbolic link (to " + root.readLink(r.path())
                        + "): keep the file itself here");
                continue;
            }
            if (r.directory() != Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                bad.add(root.show(r.path()) + " is not a " + (r.directory() ? "directory" : "regular file"));
                continue;
            }
            int mode = root.mode(r.path());
            int uid;
            try {
                uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                continue;
            }
            List<String> why = new ArrayList<>();
            if ((mode & r.forbidden()) != 0)
                why.add("mode " + Modes.format(mode) + " (" + expectation(r.forbidden()) + ")");
            if (uid != 0 && uid != self)
                why.add("owner uid " + uid + " (must be root"
                        + (self > 0 ? " or uid " + self + ", the user running this" : "") + ")");
            if (!why.isEmpty()) bad.add(root.show(r.path()) + ": " + String.join(", ", why));
        }
        if (seen == 0) {
            out.add(
                    name,
                    CHECK,
                    VerificationTable.Result.SKIP,
                    "nothing installed ("
                            + rules.stream()
                                    .map(r -> root.show(r.path()))
                                    .limit(2)
                                    .toList()
                                    .toString()
                                    .replaceAll("[\\[\\]]", "")
                            + " missing)");
        } else if (bad.isEmpty()) {
            out.add(
                    name,
                    CHECK,
                    VerificationTable.Result.OK,
                    seen + (seen == 1 ? " path" : " paths") + " owned by root" + (self == 0 ? "" : " or uid " + self)
                            + ", "
                            + expectation(rules.get(0).forbidden())
                            + (rules.size() > 1
                                            && rules.get(1).forbidden()
                                                    != rules.get(0).forbidden()
                                    ? " (files: " + expectation(rules.get(1).forbidden()) + ")"
                                    : ""));
        } else {
            out.add(name, CHECK, VerificationTable.Result.FAIL, String.join("; ", bad));
        }
    }

    static String expectation(int forbidden) {
        return switch (forbidden) {
            case 022 -> "not writable by group or others";
            case 027 -> "no access for others, read-only for the group (0750)";
            default -> "no access for group or others (0700 / 0600)";
        };
    }

    /** The entries of a directory under the root (none when it is missing), as target paths. */
    private List<String> files(String dir) {
        List<String> out = new ArrayList<>();
        Path d = root.resolve(dir);
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path p : s) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) continue;
                out.add(dir + "/" + p.getFileName());
            }
        } catch (IOException e) {
            // unreadable: the directory's own row says why
        }
        out.sort(String::compareTo);
        return out;
    }
}
