package lib.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import lib.cli.N0d3Exception;
import lib.cli.Version;

/**
 * /var/lib/pr-cybr/install-state.json (under --root): what the installer did, so that a re-run can say
 * "unchanged" and --uninstall can undo exactly that. For every file it wrote: the SHA-256 and mode it
 * wrote, and what was there before (absent, or a backup of the original bytes). For every directory it
 * owns: its mode and whether it existed. The parent directories it had to create. The daemon.json keys it
 * set. Per phase, a small section (docker, overlays, swarm, telemetry, registration).
 * The file is 0600: it holds hashes and the node's enrolment facts, never a secret.
 */
public final class InstallState {
    public static final String PATH = "/var/lib/pr-cybr/install-state.json";
    public static final String BACKUP_DIR = "/var/lib/pr-cybr/backup";
    static final int SCHEMA_VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root;
    private final boolean existed;
    private boolean dirty;
    private boolean discarded;

    private InstallState(ObjectNode root, boolean existed) {
        this.root = root;
        this.existed = existed;
    }

    public static InstallState empty() {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema_version", SCHEMA_VERSION);
        return new InstallState(n, false);
    }

    /** Reads the state under the target root; none yet means an empty state. A corrupt file is exit 3. */
    public static InstallState load(TargetRoot target) {
        byte[] b = target.read(PATH);
        if (b == null) return empty();
        try {
            JsonNode n = JSON.readTree(b);
            if (n == null || !n.isObject()) throw new IOException("not a JSON object");
            int v = n.path("schema_version").asInt(-1);
            if (v != SCHEMA_VERSION) throw new IOException("schema_version " + v + ", expected " + SCHEMA_VERSION);
            return new InstallState((ObjectNode) n, true);
        } catch (IOException e) {
            throw N0d3Exception.unexpectedState(target.show(PATH) + ": unreadable install state (" + firstLine(e.getMessage())
                    + "); move it aside to start over, or fix it");
        }
    }

    /** True when a state file was found (this host was installed before). */
    public boolean existed() {
        return existed;
    }

    public boolean dirty() {
        return dirty;
    }

    /** Writes the state (0600) when something changed; returns the parent directories it had to create. */
    public List<String> save(TargetRoot target, Instant now) {
        if (!dirty || discarded) return List.of();
        if (!root.has("installed_at")) root.put("installed_at", now.toString());
        root.put("updated_at", now.toString());
        root.put("installer_version", Version.VERSION);
        List<String> created = target.write(PATH, render(), 0600);
        addCreatedDirs(created);
        if (!created.isEmpty()) created = target.write(PATH, render(), 0600);
        dirty = false;
        return created;
    }

    byte[] render() {
        try {
            return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- files ----

    private ObjectNode files() {
        return obj(root, "files");
    }

    public boolean tracks(String path) {
        return files().has(path);
    }

    /** The first time the installer touches a path: what was there (null bytes = nothing). */
    public void noteOriginal(String path, byte[] bytes, int mode, String backupPath) {
        ObjectNode f = obj(files(), path);
        ObjectNode o = obj(f, "original");
        o.put("existed", bytes != null);
        if (bytes != null) {
            o.put("sha256", sha256(bytes));
            o.put("mode", Modes.format(mode));
            if (backupPath != null) o.put("backup", backupPath);
        }
        dirty = true;
    }

    public void recordWritten(String path, byte[] bytes, int mode) {
        ObjectNode f = obj(files(), path);
        String sha = sha256(bytes);
        String m = Modes.format(mode);
        if (!sha.equals(f.path("sha256").asText()) || !m.equals(f.path("mode").asText())) {
            f.put("sha256", sha);
            f.put("mode", m);
            dirty = true;
        }
    }

    public void recordLink(String path, String pointsTo) {
        ObjectNode f = obj(files(), path);
        if (!pointsTo.equals(f.path("link").asText())) {
            f.put("link", pointsTo);
            dirty = true;
        }
    }

    /** Where the recorded link points, or null when the path is not a link the installer made. */
    public String writtenLink(String path) {
        JsonNode n = files().path(path).path("link");
        return n.isTextual() ? n.asText() : null;
    }

    public void forget(String path) {
        if (files().remove(path) != null) dirty = true;
    }

    /** The SHA-256 the installer last wrote to the path, or null. */
    public String writtenSha(String path) {
        JsonNode n = files().path(path).path("sha256");
        return n.isTextual() ? n.asText() : null;
    }

    /** What was at the path before the first install: {existed, sha256, mode, backup}, or a missing node. */
    public JsonNode original(String path) {
        return files().path(path).path("original");
    }

    public List<String> trackedFiles() {
        List<String> out = new ArrayList<>();
        files().fieldNames().forEachRemaining(out::add);
        return out;
    }

    // ---- directories ----

    private ObjectNode dirs() {
        return obj(root, "dirs");
    }

    public boolean tracksDir(String path) {
        return dirs().has(path);
    }

    public void noteOriginalDir(String path, int mode) {
        ObjectNode o = obj(obj(dirs(), path), "original");
        o.put("existed", mode >= 0);
        if (mode >= 0) o.put("mode", Modes.format(mode));
        dirty = true;
    }

    public void recordDir(String path, int mode) {
        ObjectNode d = obj(dirs(), path);
        if (!Modes.format(mode).equals(d.path("mode").asText())) {
            d.put("mode", Modes.format(mode));
            dirty = true;
        }
    }

    public List<String> trackedDirs() {
        List<String> out = new ArrayList<>();
        dirs().fieldNames().forEachRemaining(out::add);
        return out;
    }

    public JsonNode originalDir(String path) {
        return dirs().path(path).path("original");
    }

    public void forgetDir(String path) {
        if (dirs().remove(path) != null) dirty = true;
    }

    /** Parent directories the installer had to create (outermost first), so uninstall can remove them. */
    public void addCreatedDirs(List<String> created) {
        if (created.isEmpty()) return;
        ArrayNode a = arr(root, "created_dirs");
        for (String c : created) {
            boolean seen = false;
            for (JsonNode e : a) seen |= e.asText().equals(c);
            if (!seen) {
                a.add(c);
                dirty = true;
            }
        }
    }

    public List<String> createdDirs() {
        List<String> out = new ArrayList<>();
        root.path("created_dirs").forEach(n -> out.add(n.asText()));
        return out;
    }

    public void forgetCreatedDir(String path) {
        ArrayNode a = arr(root, "created_dirs");
        for (Iterator<JsonNode> it = a.iterator(); it.hasNext(); ) {
            if (it.next().asText().equals(path)) {
                it.remove();
                dirty = true;
            }
        }
    }

    /** A backup copy the installer made (under {@link #BACKUP_DIR}); uninstall deletes them once restored. */
    public void recordBackup(String path) {
        arr(root, "backups").add(path);
        dirty = true;
    }

    public List<String> backups() {
        List<String> out = new ArrayList<>();
        root.path("backups").forEach(n -> out.add(n.asText()));
        return out;
    }

    public void forgetBackups() {
        if (root.remove("backups") != null) dirty = true;
    }

    // ---- sections owned by phases ----

    /** A phase's own section ("docker", "daemon_json", "overlays", "swarm", "telemetry", "registration"). */
    public ObjectNode section(String name) {
        return obj(root, name);
    }

    public boolean hasSection(String name) {
        return root.has(name) && root.get(name).size() > 0;
    }

    /** Replaces a value in a section and marks the state dirty when it differs. */
    public void put(String section, String key, JsonNode value) {
        ObjectNode s = section(section);
        if (!value.equals(s.get(key))) {
            s.set(key, value);
            dirty = true;
        }
    }

    public void put(String section, String key, String value) {
        put(section, key, JSON.getNodeFactory().textNode(value));
    }

    public void put(String section, String key, boolean value) {
        put(section, key, JSON.getNodeFactory().booleanNode(value));
    }

    public void removeSection(String name) {
        if (root.remove(name) != null) dirty = true;
    }

    public void removeKey(String section, String key) {
        if (root.has(section) && ((ObjectNode) root.get(section)).remove(key) != null) dirty = true;
    }

    /** Uninstall --purge removed the state file: never write it again in this run. */
    public void discard() {
        discarded = true;
    }

    public void markDirty() {
        dirty = true;
    }

    public ObjectNode tree() {
        return root;
    }

    /** Nothing left to undo: no files, directories or sections apart from bookkeeping. */
    public boolean isEmpty() {
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String k = e.getKey();
            if (List.of("schema_version", "installed_at", "updated_at", "installer_version").contains(k)) continue;
            if (e.getValue().isContainerNode() && e.getValue().isEmpty()) continue;
            return false;
        }
        return true;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode obj(ObjectNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n instanceof ObjectNode o) return o;
        return parent.putObject(name);
    }

    private static ArrayNode arr(ObjectNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n instanceof ArrayNode a) return a;
        return parent.putArray(name);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
