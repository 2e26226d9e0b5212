package lib.install;

import java.util.List;
import java.util.Map;
import lib.config.Codex;
import lib.config.Settings;
import lib.overlay.OverlayConfigs;
import lib.overlay.TailscaleConfig;
import lib.overlay.ZeroTierConfig;

/**
 * {@link OverlaySettings} from codex.yaml's {@code capabilities.networking.overlays} and the overlay configs
 * lib/overlay loads (configs/zerotier/network.conf, configs/tailscale/tailscale.conf, ZEROTIER_NETWORK_ID over
 * network_id). Secrets are resolved here, before any phase runs: a missing auth key or token file stops the
 * install with exit 2 and nothing written.
 */
public final class OverlayConfigsSource {
    private OverlayConfigsSource() {}

    public static OverlaySettings load(Settings s, Map<String, String> env, String hostname) {
        Codex.Overlays o = s.codex().capabilities().networking().overlays();
        String node = s.nodeName();
        OverlaySettings.ZeroTier zt = null;
        if (o.zerotier() != null && Boolean.TRUE.equals(o.zerotier().enabled())) {
            OverlayConfigs.Loaded<ZeroTierConfig> l = OverlayConfigs.zerotier(s);
            ZeroTierConfig c = l.config();
            ZeroTierConfig.Authorization a = c.authorization();
            zt = new OverlaySettings.ZeroTier(c.networkId() == null ? "" : c.networkId(), Boolean.TRUE.equals(c.autoJoin()),
                    Boolean.TRUE.equals(c.allowManaged()), Boolean.TRUE.equals(c.allowGlobal()), Boolean.TRUE.equals(c.allowDefault()),
                    Boolean.TRUE.equals(c.allowDns()), c.routes() == null ? List.of() : c.routes(),
                    a != null && Boolean.TRUE.equals(a.viaCentralApi()), a == null ? "" : a.centralApiUrl(),
                    a == null ? hostname : a.memberNameFor(hostname, node), a == null ? "" : a.memberDescriptionFor(hostname, node),
                    s.zerotierApiToken(), c.joinTimeout(), l.source());
        }
        OverlaySettings.Tailscale ts = null;
        if (o.tailscale() != null && Boolean.TRUE.equals(o.tailscale().enabled())) {
            OverlayConfigs.Loaded<TailscaleConfig> l = OverlayConfigs.tailscale(s);
            TailscaleConfig c = l.config();
            ts = new OverlaySettings.Tailscale(c.hostnameFor(hostname, node), c.tags() == null ? List.of() : c.tags(),
                    Boolean.TRUE.equals(c.acceptRoutes()), Boolean.TRUE.equals(c.acceptDns()), Boolean.TRUE.equals(c.advertiseExitNode()),
                    c.exitNode() == null ? "" : c.exitNode(), Boolean.TRUE.equals(c.exitNodeAllowLanAccess()),
                    c.advertiseRoutes() == null ? List.of() : c.advertiseRoutes(), c.loginServer() == null ? "" : c.loginServer(),
                    c.authKey(env), c.upTimeout(), l.source());
        }
        return new OverlaySettings(zt, ts);
    }
}
