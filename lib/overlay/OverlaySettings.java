package lib.overlay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lib.config.Codex;
import lib.config.Settings;
import lib.secret.Secret;

/**
 * The overlays this node joins, resolved for this host: codex.yaml's {@code capabilities.networking.overlays}
 * and the overlay configs {@link OverlayConfigs} loads (configs/zerotier/network.conf,
 * configs/tailscale/tailscale.conf, ZEROTIER_NETWORK_ID over network_id), one record per overlay, null when
 * that overlay is disabled. Secrets are resolved by {@link #load}, before the installer changes anything: a
 * missing auth key or token file stops the install with exit 2 and nothing written.
 */
public record OverlaySettings(ZeroTier zerotier, Tailscale tailscale) {

    /**
     * The ZeroTier overlay as the installer applies it.
     *
     * @param networkId empty when none is configured (the phase is then skipped, as the original did)
     */
    public record ZeroTier(
            String networkId,
            boolean autoJoin,
            boolean allowManaged,
            boolean allowGlobal,
            boolean allowDefault,
            boolean allowDns,
            List<String> routes,
            boolean viaCentralApi,
            String centralApiUrl,
            String memberName,
            String memberDescription,
            Optional<Secret> apiToken,
            Duration joinTimeout,
            String source) {
        public boolean hasNetwork() {
            return networkId != null && !networkId.isBlank();
        }
    }

    /**
     * The Tailscale overlay as the installer applies it.
     *
     * @param hostname the tailnet name already rendered for this host
     * @param authKey  empty when none is available (a node that is logged in needs none)
     */
    public record Tailscale(
            String hostname,
            List<String> tags,
            boolean acceptRoutes,
            boolean acceptDns,
            boolean advertiseExitNode,
            String exitNode,
            boolean exitNodeAllowLanAccess,
            List<String> advertiseRoutes,
            String loginServer,
            Optional<Secret> authKey,
            Duration upTimeout,
            String source) {}

    public static OverlaySettings none() {
        return new OverlaySettings(null, null);
    }

    /** The overlays of these settings; {@code hostname} is the kernel's host name (for member and tailnet names). */
    public static OverlaySettings load(Settings s, Map<String, String> env, String hostname) {
        Codex.Overlays o = s.codex().capabilities().networking().overlays();
        String node = s.nodeName();
        ZeroTier zt = null;
        if (o.zerotier() != null && Boolean.TRUE.equals(o.zerotier().enabled())) {
            OverlayConfigs.Loaded<ZeroTierConfig> l = OverlayConfigs.zerotier(s);
            ZeroTierConfig c = l.config();
            ZeroTierConfig.Authorization a = c.authorization();
            zt = new ZeroTier(
                    c.networkId() == null ? "" : c.networkId(),
                    Boolean.TRUE.equals(c.autoJoin()),
                    Boolean.TRUE.equals(c.allowManaged()),
                    Boolean.TRUE.equals(c.allowGlobal()),
                    Boolean.TRUE.equals(c.allowDefault()),
                    Boolean.TRUE.equals(c.allowDns()),
                    c.routes() == null ? List.of() : c.routes(),
                    a != null && Boolean.TRUE.equals(a.viaCentralApi()),
                    a == null ? "" : a.centralApiUrl(),
                    a == null ? hostname : a.memberNameFor(hostname, node),
                    a == null ? "" : a.memberDescriptionFor(hostname, node),
                    s.zerotierApiToken(),
                    c.joinTimeout(),
                    l.source());
        }
        Tailscale ts = null;
        if (o.tailscale() != null && Boolean.TRUE.equals(o.tailscale().enabled())) {
            OverlayConfigs.Loaded<TailscaleConfig> l = OverlayConfigs.tailscale(s);
            TailscaleConfig c = l.config();
            ts = new Tailscale(
                    c.hostnameFor(hostname, node),
                    c.tags() == null ? List.of() : c.tags(),
                    Boolean.TRUE.equals(c.acceptRoutes()),
                    Boolean.TRUE.equals(c.acceptDns()),
                    Boolean.TRUE.equals(c.advertiseExitNode()),
                    c.exitNode() == null ? "" : c.exitNode(),
                    Boolean.TRUE.equals(c.exitNodeAllowLanAccess()),
                    c.advertiseRoutes() == null ? List.of() : c.advertiseRoutes(),
                    c.loginServer() == null ? "" : c.loginServer(),
                    c.authKey(env),
                    c.upTimeout(),
                    l.source());
        }
        return new OverlaySettings(zt, ts);
    }

    /** ZeroTier is enabled and has a network to join. */
    public boolean zerotierEnabled() {
        return zerotier != null && zerotier.hasNetwork() && zerotier.autoJoin();
    }

    public boolean tailscaleEnabled() {
        return tailscale != null;
    }

    /** Tailscale advertises subnet routes or an exit node (the host forwards for the tailnet). */
    public boolean tailscaleRoutes() {
        return tailscale != null
                && (tailscale.advertiseExitNode()
                        || !tailscale.advertiseRoutes().isEmpty());
    }
}
