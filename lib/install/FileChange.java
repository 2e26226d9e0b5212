package lib.install;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A file the installer writes, changes the mode of, or removes, with the unified diff the plan shows.
 * Applying it records the file's SHA-256 and mode in the install state (what k3s' installer does with its
 * hashes), so a re-run knows the file is still exactly what it wrote. The first time an existing file is
 * touched its original bytes are backed up, so --uninstall can restore them byte for byte.
 */
public final class FileChange extends PathChange<byte[]> {
    private final int currentMode;
    private final int mode;
    private boolean secret;
    private boolean binary;
    private boolean backup;

    private FileChange(TargetRoot root, String path, byte[] after, int mode) {
        super(root, path, after, root.read(path));
        this.currentMode = root.mode(path);
        this.mode = mode;
    }

    /** The file should hold {@code content} with {@code mode}. */
    public static FileChange write(TargetRoot root, String path, String content, int mode) {
        return new FileChange(root, path, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    public static FileChange write(TargetRoot root, String path, byte[] content, int mode) {
        return new FileChange(root, path, content, mode);
    }

    /** The file should not exist. */
    public static FileChange remove(TargetRoot root, String path) {
        return new FileChange(root, path, null, -1);
    }

    /** Never show the content (secrets): the diff says only how many bytes. */
    public FileChange secret() {
        this.secret = true;
        return this;
    }

    /** Not text (a jar): the plan shows its size and SHA-256 instead of a diff. */
    public FileChange binary() {
        this.binary = true;
        return this;
    }

    /** Keep a copy of the current content under the backup folder before replacing it. */
    public FileChange backup() {
        this.backup = true;
        return this;
    }

    public byte[] after() {
        return wanted;
    }

    /** False when the file is already exactly as wanted (content and mode). */
    @Override
    public boolean changes() {
        if (wanted == null) return current != null;
        return current == null || !Arrays.equals(current, wanted) || currentMode != mode;
    }

    public boolean contentChanges() {
        return wanted == null ? current != null : current == null || !Arrays.equals(current, wanted);
    }

    @Override
    public String kind() {
        if (wanted == null) return "remove";
        if (current != null && Arrays.equals(current, wanted)) return "chmod";
        return "write";
    }

    @Override
    public String summary() {
        String shown = root.show(path);
        if (wanted == null) return shown;
        if (current == null) return shown + " (new, " + Modes.format(mode) + ")";
        if (Arrays.equals(current, wanted))
            return shown + " (mode " + Modes.format(currentMode) + " -> " + Modes.format(mode) + ")";
        String modeNote = currentMode == mode
                ? Modes.format(mode)
                : "mode " + Modes.format(currentMode) + " -> " + Modes.format(mode);
        return shown + " (changed, " + modeNote
                + (backup ? ", previous content backed up under " + InstallState.BACKUP_DIR : "") + ")";
    }

    @Override
    public String detail() {
        if (!contentChanges()) return "";
        if (secret) {
            return wanted == null
                    ? "(a secret file; its content is not shown)"
                    : "(" + wanted.length + " bytes of a secret; the content is not shown)";
        }
        if (binary || looksBinary(current) || looksBinary(wanted)) {
            return wanted == null
                    ? "(binary file removed)"
                    : "(binary, " + wanted.length + " bytes, sha256 " + InstallState.sha256(wanted) + ")";
        }
        return unifiedDiff(
                current == null ? "/dev/null" : root.show(path),
                wanted == null ? "/dev/null" : root.show(path),
                text(current),
                text(wanted));
    }

    /** git's rule: a NUL byte in the first 8000 bytes means binary. */
    static boolean looksBinary(byte[] b) {
        if (b == null) return false;
        for (int i = 0; i < Math.min(b.length, 8000); i++) if (b[i] == 0) return true;
        return false;
    }

    /** A unified diff with three lines of context ("" when the texts are equal). */
    public static String unifiedDiff(String fromName, String toName, String from, String to) {
        List<String> a = from.isEmpty() ? List.of() : from.lines().toList();
        List<String> b = to.isEmpty() ? List.of() : to.lines().toList();
        Patch<String> patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) return "";
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, a, patch, 3);
        // a new or removed file is "@@ -0,0 +1,N @@" / "@@ -1,N +0,0 @@" in diff(1)
        return String.join("\n", lines)
                .replace("@@ -1,0 ", a.isEmpty() ? "@@ -0,0 " : "@@ -1,0 ")
                .replace(" +1,0 @@", b.isEmpty() ? " +0,0 @@" : " +1,0 @@");
    }

    private static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    protected void perform(InstallContext ctx) {
        InstallState state = ctx.state();
        if (!state.tracks(path)) {
            String copy = null;
            if (current != null && backup) copy = ctx.backup(path, current);
            state.noteOriginal(path, current, currentMode, copy);
        } else if (current != null && backup && contentChanges()) {
            ctx.backup(path, current);
        }
        if (wanted == null) {
            root.delete(path);
            state.forget(path);
            return;
        }
        if (current != null && Arrays.equals(current, wanted)) {
            root.chmod(path, mode);
        } else {
            state.addCreatedDirs(root.write(path, wanted, mode));
        }
        state.recordWritten(path, wanted, mode);
    }
}
