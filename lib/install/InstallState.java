package lib.install;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import lib.cli.N0d3Exception;
import lib.cli.Version;

/**
 * /var/lib/pr-cybr/install-state.json (under --root): what the installer did, so that a re-run can say
 * "unchanged" and --uninstall can undo exactly that. For every file it wrote: the SHA-256 and mode it
 * wrote, and what was there before (absent, or a backup of the original bytes). For every directory it
 * owns: its mode and whether it existed. The parent directories it had to create. The daemon.json keys it
 * set. Per phase, a typed section (docker, java, overlays, swarm, telemetry, registration).
 * The file is 0600: it holds hashes and the node's enrolment facts, never a secret. It is written only when
 * its content changed.
 */
public final class InstallState {
    public static final String PATH = "/var/lib/pr-cybr/install-state.json";
    public static final String BACKUP_DIR = "/var/lib/pr-cybr/backup";
    static final int SCHEMA_VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The file's own mapping: snake_case keys; a key this version does not know is kept aside ({@link #other}). */
    private static final ObjectMapper FILE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final List<String> BOOKKEEPING = List.of("installed_at", "updated_at", "installer_version");

    /** What was at a path before the installer first touched it; {@code backup}: where a copy of its bytes is. */
    public record Original(boolean existed, String sha256, String mode, String backup) {
        static final Original NONE = new Original(false, null, null, null);
    }

    /** A file or link the installer wrote: what was there first, then the SHA-256 and mode (or link target) it wrote. */
    static final class FileEntry {
        public Original original;
        public String sha256;
        public String mode;
        public String link;
    }

    /** A directory the installer owns. */
    static final class DirEntry {
        public Original original;
        public String mode;
    }

    /** The Docker phase: what it installed (packages, repository key or file) and how it started the engine. */
    public record Docker(
            boolean installedByInstall,
            String source,
            String packageManager,
            List<String> packages,
            String startedBy,
            String aptKey,
            String dnfRepo) {
        static final Docker NONE = new Docker(false, null, null, null, null, null, null);

        public Docker installed(String source, String manager, List<String> packages) {
            return new Docker(true, source, manager, packages, startedBy, aptKey, dnfRepo);
        }

        public Docker startedBy(String how) {
            return new Docker(installedByInstall, source, packageManager, packages, how, aptKey, dnfRepo);
        }

        public Docker aptKey(String path) {
            return new Docker(installedByInstall, source, packageManager, packages, startedBy, path, dnfRepo);
        }

        public Docker dnfRepo(String path) {
            return new Docker(installedByInstall, source, packageManager, packages, startedBy, aptKey, path);
        }
    }

    /** The Java runtime the telemetry phase installed for the units. */
    public record JavaRuntime(boolean installedByInstall, String packageManager, List<String> packages) {}

    /** The overlays the installer joined or brought up. */
    public record Overlays(ZeroTier zerotier, Tailscale tailscale) {
        static final Overlays NONE = new Overlays(null, null);

        public record ZeroTier(String networkId, boolean joinedByInstall) {}

        /** {@code upSha256}: of the {@code tailscale up} command line without the key, to tell a changed config. */
        public record Tailscale(boolean upByInstall, String hostname, String upSha256) {}
    }

    /** The swarm phase joined this node. */
    public record Swarm(boolean joinedByInstall) {}

    /** The units the telemetry phase enabled. */
    public record Telemetry(List<String> enabled) {}

    /** The management node accepted this body (its SHA-256) at this time. */
    public record Registration(String nodeId, String url, String requestSha256, String registeredAt, int httpStatus) {}

    /** A phase's section of the file: where the document holds it, and what an absent one reads as. */
    public record Section<T>(Function<Document, T> read, BiConsumer<Document, T> write, T absent) {}

    public static final Section<Docker> DOCKER = new Section<>(d -> d.docker, (d, v) -> d.docker = v, Docker.NONE);
    public static final Section<JavaRuntime> JAVA = new Section<>(d -> d.java, (d, v) -> d.java = v, null);
    public static final Section<Overlays> OVERLAYS =
            new Section<>(d -> d.overlays, (d, v) -> d.overlays = v, Overlays.NONE);
    public static final Section<Swarm> SWARM = new Section<>(d -> d.swarm, (d, v) -> d.swarm = v, null);
    public static final Section<Telemetry> TELEMETRY = new Section<>(d -> d.telemetry, (d, v) -> d.telemetry = v, null);
    public static final Section<Registration> REGISTRATION =
            new Section<>(d -> d.registration, (d, v) -> d.registration = v, null);

    /** The file, key by key. */
    static final class Document {
        public int schemaVersion = SCHEMA_VERSION;
        public String installedAt;
        public String updatedAt;
        public String installerVersion;
        public Map<String, FileEntry> files = new LinkedHashMap<>();
        public Map<String, DirEntry> dirs = new LinkedHashMap<>();
        public List<String> createdDirs = new ArrayList<>();
        public List<String> backups = new ArrayList<>();
        public Docker docker;
        public JavaRuntime java;
        public Map<String, JsonNode> daemonJson = new LinkedHashMap<>();
        public Overlays overlays;
        public Swarm swarm;
        public Telemetry telemetry;
        public Registration registration;
    }

    private final Document doc;
    /** Top-level keys this version does not know (a newer installer's), written back as they were. */
    private final ObjectNode other;

    private final boolean existed;
    /** The content as last read or written, without the bookkeeping keys: a save with the same content writes nothing. */
    private byte[] saved;

    private boolean discarded;

    private InstallState(Document doc, ObjectNode other, boolean existed) {
        this.doc = doc;
        this.other = other;
        this.existed = existed;
        this.saved = content();
    }

    public static InstallState empty() {
        return new InstallState(new Document(), JSON.createObjectNode(), false);
    }

    /** Reads the state under the target root; none yet means an empty state. A corrupt file is exit 3. */
    public static InstallState load(TargetRoot target) {
        byte[] b = target.read(PATH);
        if (b == null) return empty();
        try {
            JsonNode n = FILE.readTree(b);
            if (n == null || !n.isObject()) throw new IOException("not a JSON object");
            int v = n.path("schema_version").asInt(-1);
            if (v != SCHEMA_VERSION) throw new IOException("schema_version " + v + ", expected " + SCHEMA_VERSION);
            prune(n); // an empty section, as an earlier version left some, is no section
            ObjectNode other = ((ObjectNode) n).deepCopy();
            FILE.valueToTree(new Document()).fieldNames().forEachRemaining(other::remove);
            return new InstallState(FILE.treeToValue(n, Document.class), other, true);
        } catch (IOException e) {
            throw N0d3Exception.unexpectedState(target.show(PATH) + ": unreadable install state ("
                    + firstLine(e.getMessage()) + "); move it aside to start over, or fix it");
        }
    }

    /** True when a state file was found (this host was installed before). */
    public boolean existed() {
        return existed;
    }

    /** Writes the state (0600) when its content changed; returns the parent directories it had to create. */
    public List<String> save(TargetRoot target, Instant now) {
        if (discarded || Arrays.equals(content(), saved)) return List.of();
        if (doc.installedAt == null) doc.installedAt = now.toString();
        doc.updatedAt = now.toString();
        doc.installerVersion = Version.VERSION;
        List<String> created = target.write(PATH, render(), 0600);
        addCreatedDirs(created);
        if (!created.isEmpty()) created = target.write(PATH, render(), 0600);
        saved = content();
        return created;
    }

    byte[] render() {
        try {
            return (JSON.writeValueAsString(tree(doc).setAll(other)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the file says apart from when and by which version it was written. */
    private byte[] content() {
        ObjectNode n = tree(doc).setAll(other);
        n.remove(BOOKKEEPING);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The document as the file holds it: nothing written for an absent value (null, "", an empty list or map). */
    private static ObjectNode tree(Document d) {
        ObjectNode n = FILE.valueToTree(d);
        prune(n);
        return n;
    }

    private static void prune(JsonNode n) {
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
            JsonNode c = it.next();
            prune(c);
            if (c.isNull()
                    || (c.isContainerNode() && c.isEmpty())
                    || (c.isTextual() && c.asText().isEmpty())) it.remove();
        }
    }

    // ---- files ----

    public boolean tracks(String path) {
        return doc.files.containsKey(path);
    }

    private FileEntry file(String path) {
        return doc.files.computeIfAbsent(path, p -> new FileEntry());
    }

    /** The first time the installer touches a path: what was there (null bytes = nothing). */
    public void noteOriginal(String path, byte[] bytes, int mode, String backupPath) {
        file(path).original =
                bytes == null ? Original.NONE : new Original(true, sha256(bytes), Modes.format(mode), backupPath);
    }

    public void recordWritten(String path, byte[] bytes, int mode) {
        FileEntry f = file(path);
        f.sha256 = sha256(bytes);
        f.mode = Modes.format(mode);
    }

    public void recordLink(String path, String pointsTo) {
        file(path).link = pointsTo;
    }

    /** Where the recorded link points, or null when the path is not a link the installer made. */
    public String writtenLink(String path) {
        FileEntry f = doc.files.get(path);
        return f == null ? null : f.link;
    }

    public void forget(String path) {
        doc.files.remove(path);
    }

    /** The SHA-256 the installer last wrote to the path, or null. */
    public String writtenSha(String path) {
        FileEntry f = doc.files.get(path);
        return f == null ? null : f.sha256;
    }

    /** What was at the path before the first install ({@link Original#NONE} when unknown). */
    public Original original(String path) {
        FileEntry f = doc.files.get(path);
        return f == null || f.original == null ? Original.NONE : f.original;
    }

    public List<String> trackedFiles() {
        return new ArrayList<>(doc.files.keySet());
    }

    // ---- directories ----

    public boolean tracksDir(String path) {
        return doc.dirs.containsKey(path);
    }

    public void noteOriginalDir(String path, int mode) {
        doc.dirs.computeIfAbsent(path, p -> new DirEntry()).original =
                mode < 0 ? Original.NONE : new Original(true, null, Modes.format(mode), null);
    }

    public void recordDir(String path, int mode) {
        doc.dirs.computeIfAbsent(path, p -> new DirEntry()).mode = Modes.format(mode);
    }

    public List<String> trackedDirs() {
        return new ArrayList<>(doc.dirs.keySet());
    }

    public Original originalDir(String path) {
        DirEntry d = doc.dirs.get(path);
        return d == null || d.original == null ? Original.NONE : d.original;
    }

    public void forgetDir(String path) {
        doc.dirs.remove(path);
    }

    /** Parent directories the installer had to create (outermost first), so uninstall can remove them. */
    public void addCreatedDirs(List<String> created) {
        for (String c : created) if (!doc.createdDirs.contains(c)) doc.createdDirs.add(c);
    }

    public List<String> createdDirs() {
        return new ArrayList<>(doc.createdDirs);
    }

    public void forgetCreatedDir(String path) {
        doc.createdDirs.remove(path);
    }

    /** A backup copy the installer made (under {@link #BACKUP_DIR}); uninstall deletes them once restored. */
    public void recordBackup(String path) {
        doc.backups.add(path);
    }

    public List<String> backups() {
        return new ArrayList<>(doc.backups);
    }

    public void forgetBackups() {
        doc.backups.clear();
    }

    // ---- sections owned by phases (an absent one reads as its NONE or null; setting that removes it) ----

    public <T> T get(Section<T> section) {
        T v = section.read().apply(doc);
        return v == null ? section.absent() : v;
    }

    public <T> void set(Section<T> section, T value) {
        section.write().accept(doc, value == null || value.equals(section.absent()) ? null : value);
    }

    /** Sets the section to {@code change} of its current value. */
    public <T> void update(Section<T> section, UnaryOperator<T> change) {
        set(section, change.apply(get(section)));
    }

    /** The daemon.json keys the installer set, with the values it set ("log-opts.max-size": "10m"). */
    public Map<String, JsonNode> daemonJson() {
        return new LinkedHashMap<>(doc.daemonJson);
    }

    public void daemonJson(Map<String, JsonNode> ours) {
        doc.daemonJson = new LinkedHashMap<>(ours);
    }

    /** The units the installer enabled; empty when none. */
    public List<String> telemetryUnits() {
        Telemetry t = get(TELEMETRY);
        return t == null || t.enabled() == null ? List.of() : t.enabled();
    }

    /** Uninstall --purge removed the state file: never write it again in this run. */
    public void discard() {
        discarded = true;
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

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
