package lib.overlay;

import java.time.Duration;
import java.util.List;
import lib.cli.N0d3Exception;

/**
 * configs/zerotier/network.conf as a typed record (snake_case in the file, camelCase here);
 * schemas/zerotier-network.schema.json is its contract. Load it with {@link OverlayConfigs#zerotier}, which
 * applies ZEROTIER_NETWORK_ID over {@code network_id}.
 */
public record ZeroTierConfig(
        String networkId,
        Boolean autoJoin,
        Boolean allowManaged,
        Boolean allowGlobal,
        Boolean allowDefault,
        Boolean allowDns,
        List<String> routes,
        Authorization authorization,
        Duration joinTimeout) {

    public record Authorization(
            Boolean viaCentralApi, String centralApiUrl, String memberName, String memberDescription) {
        public String memberNameFor(String hostname, String nodeName) {
            return NamePattern.render(memberName, hostname, nodeName);
        }

        public String memberDescriptionFor(String hostname, String nodeName) {
            return NamePattern.render(memberDescription, hostname, nodeName);
        }
    }

    /** The network id, or a usage error saying where to set it. */
    public String requireNetworkId(String source) {
        if (networkId == null || networkId.isBlank()) {
            throw N0d3Exception.usage(source
                    + ": network_id is empty and ZEROTIER_NETWORK_ID is not set (expected 16 hexadecimal digits)");
        }
        return networkId;
    }

    ZeroTierConfig withNetworkId(String id) {
        return new ZeroTierConfig(
                id, autoJoin, allowManaged, allowGlobal, allowDefault, allowDns, routes, authorization, joinTimeout);
    }
}
