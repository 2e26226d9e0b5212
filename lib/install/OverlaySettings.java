package lib.install;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import lib.secret.Secret;

/**
 * What the installer needs from the overlay configs (configs/zerotier/network.conf,
 * configs/tailscale/tailscale.conf) and codex.yaml's {@code capabilities.networking.overlays}: one record per
 * overlay, null when that overlay is disabled. Built from lib/overlay's loader by {@link OverlayConfigsSource}.
 */
public record OverlaySettings(ZeroTier zerotier, Tailscale tailscale) {

    /**
     * The ZeroTier overlay as the installer applies it.
     *
     * @param networkId empty when none is configured (the phase is then skipped, as the original did)
     */
    public record ZeroTier(String networkId, boolean autoJoin, boolean allowManaged, boolean allowGlobal, boolean allowDefault,
                           boolean allowDns, List<String> routes, boolean viaCentralApi, String centralApiUrl, String memberName,
                           String memberDescription, Optional<Secret> apiToken, Duration joinTimeout, String source) {
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
    public record Tailscale(String hostname, List<String> tags, boolean acceptRoutes, boolean acceptDns, boolean advertiseExitNode,
                            String exitNode, boolean exitNodeAllowLanAccess, List<String> advertiseRoutes, String loginServer,
                            Optional<Secret> authKey, Duration upTimeout, String source) {}

    public static OverlaySettings none() {
        return new OverlaySettings(null, null);
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
        return tailscale != null && (tailscale.advertiseExitNode() || !tailscale.advertiseRoutes().isEmpty());
    }
}
