package lib.overlay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import lib.cli.N0d3Exception;
import lib.config.Codex;
import lib.config.CodexLoader;
import lib.config.Settings;

/**
 * Loads the overlay configs named in codex.yaml ({@code capabilities.networking.overlays.*.config}, relative to
 * codex.yaml's folder): YAML validated against its schema (errors as FILE:LINE:COL, exit 2), deep-merged over
 * the embedded default of the same file, bound to a record. When the codex is the embedded default and the
 * file is not on disk, the embedded copy is used, so {@code java -jar n0d3.jar} works on a bare host.
 */
public final class OverlayConfigs {
    public static final String ZEROTIER_SCHEMA = "schemas/zerotier-network.schema.json";
    public static final String TAILSCALE_SCHEMA = "schemas/tailscale.schema.json";
    public static final String ZEROTIER_DEFAULT = "configs/zerotier/network.conf";
    public static final String TAILSCALE_DEFAULT = "configs/tailscale/tailscale.conf";

    private OverlayConfigs() {}

    /** A loaded overlay config and where it came from (for messages). */
    public record Loaded<T>(T config, String source) {}

    /** ZeroTier settings for this node; ZEROTIER_NETWORK_ID (checked by Settings) overrides network_id. */
    public static Loaded<ZeroTierConfig> zerotier(Settings settings) {
        Codex.Overlay o =
                settings.codex().capabilities().networking().overlays().zerotier();
        Loaded<ZeroTierConfig> l =
                load(settings, o, "zerotier", ZEROTIER_DEFAULT, ZEROTIER_SCHEMA, ZeroTierConfig.class);
        return settings.zerotierNetworkId()
                .map(id -> new Loaded<>(l.config().withNetworkId(id), l.source()))
                .orElse(l);
    }

    public static Loaded<TailscaleConfig> tailscale(Settings settings) {
        Codex.Overlay o =
                settings.codex().capabilities().networking().overlays().tailscale();
        return load(settings, o, "tailscale", TAILSCALE_DEFAULT, TAILSCALE_SCHEMA, TailscaleConfig.class);
    }

    /** Parses, validates and binds one overlay config text (for tests and tools); no environment applied. */
    public static <T> T parse(String name, String text, String defaultResource, String schema, Class<T> type) {
        CodexLoader.Document doc = CodexLoader.parse(name, text);
        CodexLoader.validate(doc, schema);
        CodexLoader.Document base =
                CodexLoader.parse(defaultResource + " (embedded)", CodexLoader.readResource(defaultResource));
        JsonNode merged = CodexLoader.merge(base.tree(), doc.tree());
        checkSemantics(doc, merged);
        return CodexLoader.bind(doc, merged, type);
    }

    private static <T> Loaded<T> load(
            Settings settings,
            Codex.Overlay overlay,
            String which,
            String defaultResource,
            String schema,
            Class<T> type) {
        String configured = overlay == null || overlay.config() == null ? defaultResource : overlay.config();
        Path file = settings.resolve(configured);
        String text;
        String name;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
            name = file.toString();
        } catch (NoSuchFileException e) {
            if (settings.source() != null || !configured.equals(defaultResource)) {
                throw N0d3Exception.usage(file + ": overlay config not found (capabilities.networking.overlays." + which
                        + ".config in " + settings.describeSource() + ")");
            }
            text = CodexLoader.readResource(defaultResource);
            name = defaultResource + " (embedded)";
        } catch (IOException e) {
            throw N0d3Exception.usage(file + ": cannot read overlay config: " + e.getMessage());
        }
        return new Loaded<>(parse(name, text, defaultResource, schema, type), name);
    }

    /** Rules a JSON Schema would state only with an unreadable message. */
    private static void checkSemantics(CodexLoader.Document doc, JsonNode t) {
        if (t.path("advertise_exit_node").asBoolean(false)
                && !t.path("exit_node").asText("").isEmpty()) {
            var loc = doc.locations().get("/exit_node");
            String where = loc == null
                    ? doc.name() + ": "
                    : doc.name() + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
            throw N0d3Exception.usage(
                    where
                            + "exit_node: cannot use an exit node while advertise_exit_node is true (expected one or the other)");
        }
    }
}
