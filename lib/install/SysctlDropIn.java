package lib.install;

/**
 * /etc/sysctl.d/60-pr-cybr.conf: the kernel settings a fleet node needs, applied with {@code sysctl --system}.
 * <ul>
 *   <li>IPv4 forwarding, always: Docker's bridge and swarm overlay (VXLAN) networks route through the host.</li>
 *   <li>Loose reverse-path filtering (2) when an overlay is enabled: with ZeroTier or Tailscale next to the
 *       LAN, replies can arrive on another interface than the one strict filtering expects.</li>
 *   <li>IPv6 forwarding only when Tailscale advertises routes or an exit node (what Tailscale's subnet-router
 *       guide asks for). It is not set otherwise: on a host that takes its IPv6 address from router
 *       advertisements, forwarding=1 makes the kernel ignore them.</li>
 * </ul>
 */
public final class SysctlDropIn {
    public static final String PATH = "/etc/sysctl.d/60-pr-cybr.conf";
    public static final int MODE = 0644;

    private SysctlDropIn() {}

    /**
     * The sysctl drop-in's text: forwarding always, and what the enabled overlays need.
     *
     * @param overlay a ZeroTier or Tailscale overlay is enabled
     * @param routes  Tailscale advertises subnet routes or an exit node
     */
    public static String render(boolean overlay, boolean routes) {
        StringBuilder sb = new StringBuilder()
                .append(
                        "# Written by PR-CYBR-N0D3 install.java; replaced on every install, removed by install.java --uninstall.\n")
                .append("# Docker bridge and swarm overlay (VXLAN) traffic is routed through the host.\n")
                .append("net.ipv4.ip_forward = 1\n");
        if (overlay) {
            sb.append(
                            "# ZeroTier / Tailscale: replies may come back on another interface than strict filtering expects.\n")
                    .append("net.ipv4.conf.all.rp_filter = 2\n")
                    .append("net.ipv4.conf.default.rp_filter = 2\n");
        }
        if (routes) {
            sb.append("# Tailscale subnet routes / exit node: IPv6 forwarding as well.\n")
                    .append("net.ipv6.conf.all.forwarding = 1\n");
        }
        return sb.toString();
    }
}
