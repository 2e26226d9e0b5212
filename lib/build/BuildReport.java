package lib.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lib.host.Arch;
import lib.json.Json;
import lib.plan.Result;

/** What a build run produced: per platform the image, its tags, registry digest and smoke test; the manifest list. */
public final class BuildReport implements Result {
    /** One platform's outcome. {@code digest} is the registry digest (null until pushed). */
    public static final class PlatformResult {
        public final Arch arch;
        public final List<String> tags;
        public final boolean emulated;
        public String imageId;
        public long buildMillis;
        public SmokeTest.Result smoke;
        public String digest;

        public PlatformResult(Arch arch, List<String> tags, boolean emulated) {
            this.arch = arch;
            this.tags = tags;
            this.emulated = emulated;
        }
    }

    public final String script;
    public final ImageTags tags;
    public final List<PlatformResult> platforms = new ArrayList<>();
    public boolean pushed;
    public String manifestDigest;
    public List<String> manifestTags = List.of();
    public Map<String, String> manifestPlatforms = new LinkedHashMap<>();

    public BuildReport(String script, ImageTags tags) {
        this.script = script;
        this.tags = tags;
    }

    /** The outcome of one platform of this build (added by its build step). */
    PlatformResult platform(Arch a) {
        return platforms.stream().filter(r -> r.arch == a).findFirst().orElseThrow();
    }

    @Override
    public ObjectNode json() {
        ObjectNode o = Json.object();
        o.put("script", script);
        o.put("image", tags.repository());
        o.put("version", tags.version());
        o.put("revision", tags.revision());
        o.put("pushed", pushed);
        ArrayNode ps = o.putArray("platforms");
        for (PlatformResult p : platforms) {
            ObjectNode n = ps.addObject();
            n.put("platform", p.arch.platform());
            n.put("arch", p.arch.id());
            ArrayNode t = n.putArray("tags");
            p.tags.forEach(t::add);
            n.put("image_id", p.imageId);
            n.put("digest", p.digest);
            n.put("emulated", p.emulated);
            n.put("build_ms", p.buildMillis);
            if (p.smoke != null) {
                ObjectNode s = n.putObject("smoke");
                s.put("command", p.smoke.command());
                s.put("output", p.smoke.output());
                s.put("ms", p.smoke.millis());
            } else {
                n.putNull("smoke");
            }
        }
        if (manifestDigest != null) {
            ObjectNode m = o.putObject("manifest");
            m.put("ref", tags.manifestRef());
            m.put("digest", manifestDigest);
            ArrayNode t = m.putArray("tags");
            manifestTags.forEach(t::add);
            ObjectNode pl = m.putObject("platforms");
            manifestPlatforms.forEach(pl::put);
        } else {
            o.putNull("manifest");
        }
        return o;
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (PlatformResult p : platforms) {
            sb.append(String.format("%-13s %s  image %s", p.arch.platform(), p.tags.get(0), shortId(p.imageId)));
            if (p.digest != null) sb.append("  pushed ").append(p.digest);
            if (p.smoke != null) {
                sb.append("  smoke ok (")
                        .append(p.emulated ? "QEMU" : "native")
                        .append(", ")
                        .append(p.smoke.millis())
                        .append(" ms): ")
                        .append(firstLine(p.smoke.output()));
            } else {
                sb.append("  smoke skipped");
            }
            sb.append('\n');
        }
        if (manifestDigest != null) {
            sb.append("manifest      ")
                    .append(String.join(", ", manifestTags))
                    .append("  ")
                    .append(manifestDigest)
                    .append("  ")
                    .append(String.join(", ", manifestPlatforms.keySet()))
                    .append(" (verified in the registry)\n");
        }
        return sb.toString().stripTrailing();
    }

    /** A build that ran to its end succeeded: every failure before it is an exception with its own exit code. */
    @Override
    public int exitCode() {
        return 0;
    }

    /** The GitHub Actions step outputs. */
    public Map<String, String> outputs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("image", tags.repository());
        m.put("version", tags.version());
        if (tags.revision() != null) m.put("revision", tags.revision());
        List<String> all = new ArrayList<>();
        for (PlatformResult p : platforms) {
            all.addAll(p.tags);
            if (p.imageId != null) m.put("image_id_" + p.arch.id(), p.imageId);
            if (p.digest != null) m.put("digest_" + p.arch.id(), p.digest);
        }
        for (Map.Entry<String, String> e : manifestPlatforms.entrySet()) {
            Arch a = Platforms.parseOne(e.getKey(), "manifest", List.of(Arch.values()));
            m.putIfAbsent("digest_" + a.id(), e.getValue());
        }
        if (manifestDigest != null) {
            all.addAll(manifestTags);
            m.put("manifest", tags.manifestRef());
            m.put("manifest_digest", manifestDigest);
        }
        m.put("tags", String.join("\n", all));
        return m;
    }

    /** The GitHub Actions job summary (Markdown). */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("### %s: `%s` %s\n\n".formatted(script, tags.repository(), tags.version()));
        if (!platforms.isEmpty()) {
            sb.append("| Platform | Tags | Image ID | Registry digest | Smoke test |\n|---|---|---|---|---|\n");
            for (PlatformResult p : platforms) {
                sb.append("| ")
                        .append(p.arch.platform())
                        .append(" | ")
                        .append(String.join(
                                "<br>",
                                p.tags.stream()
                                        .map(t -> "`" + GithubOutputs.cell(t) + "`")
                                        .toList()))
                        .append(" | `")
                        .append(shortId(p.imageId))
                        .append("` | ")
                        .append(p.digest == null ? "not pushed" : "`" + p.digest + "`")
                        .append(" | ")
                        .append(
                                p.smoke == null
                                        ? "skipped"
                                        : "passed (" + (p.emulated ? "under QEMU" : "native") + ", " + p.smoke.millis()
                                                + " ms): `" + GithubOutputs.cell(firstLine(p.smoke.output())) + "`")
                        .append(" |\n");
            }
        }
        if (manifestDigest != null) {
            sb.append("\nManifest list ")
                    .append(String.join(
                            ", ", manifestTags.stream().map(t -> "`" + t + "`").toList()))
                    .append(" = `")
                    .append(manifestDigest)
                    .append("`, verified in the registry:\n\n| Platform | Digest |\n|---|---|\n");
            manifestPlatforms.forEach(
                    (k, v) -> sb.append("| ").append(k).append(" | `").append(v).append("` |\n"));
        }
        return sb.append('\n').toString(); // a blank line: the next step's summary starts a block of its own
    }

    static String shortId(String id) {
        if (id == null) return "-";
        String h = id.startsWith("sha256:") ? id.substring(7) : id;
        return h.length() > 12 ? h.substring(0, 12) : h;
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        String l = (i < 0 ? s : s.substring(0, i)).strip();
        return l.length() > 80 ? l.substring(0, 80) + "..." : l;
    }
}
