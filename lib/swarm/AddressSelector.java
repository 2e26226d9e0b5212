package lib.swarm;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import lib.cli.N0d3Exception;

/**
 * Chooses the address this node advertises to the swarm (and its data-path address).
 * <ul>
 * <li>An IP literal is taken as given (an address not on this host is allowed, for NAT, with a note).</li>
 * <li>An interface name ({@code zt…}, {@code tailscale0}, {@code eth0}) gives its one IPv4 address
 * (or its one global IPv6 address when it has no IPv4).</li>
 * <li>Nothing given: the overlay interface when one is up (ZeroTier {@code zt*} first, then
 * {@code tailscale0}), otherwise the source address of the route to the chosen manager.</li>
 * </ul>
 * Any choice between several equally good addresses is refused with the list of candidates.
 */
public final class AddressSelector {
    private final List<NetIface> ifaces;
    private final RouteSource routes;

    public AddressSelector(List<NetIface> ifaces, RouteSource routes) {
        this.ifaces = ifaces;
        this.routes = routes;
    }

    public static AddressSelector system() {
        return new AddressSelector(NetIface.system(), RouteSource.system());
    }

    /** The chosen address, the interface carrying it (null when not local) and why it was chosen. */
    public record Selection(InetAddress address, NetIface iface, String reason) {
        public String ip() {
            return address.getHostAddress();
        }

        /** The interface MTU, or 0 when the address is not on this host. */
        public int mtu() {
            return iface == null ? 0 : iface.mtu();
        }
    }

    /**
     * The address this node advertises to the swarm: the flag's address or interface, else the default.
     *
     * @param spec the flag's value (IP or interface name), or null for the default
     * @param flag the flag's name, for messages
     * @param manager the manager we will join through (for the route default); may be null
     */
    public Selection select(String spec, String flag, InetAddress manager) {
        if (spec != null && !spec.isBlank()) return explicit(spec.strip(), flag);
        List<NetIface> zt = ifaces.stream()
                .filter(i -> i.up() && i.zerotier() && usable(i).isPresent())
                .toList();
        if (zt.size() > 1) {
            throw N0d3Exception.usage("cannot choose the address to advertise: several ZeroTier interfaces are up ("
                    + describe(zt) + "); pass " + flag + " with one of them");
        }
        if (zt.size() == 1)
            return fromInterface(
                    zt.get(0), flag, "ZeroTier interface " + zt.get(0).name());
        Optional<NetIface> ts = ifaces.stream()
                .filter(i -> i.up() && i.tailscale() && usable(i).isPresent())
                .findFirst();
        if (ts.isPresent()) return fromInterface(ts.get(), flag, "Tailscale interface tailscale0");
        if (manager != null) {
            Optional<InetAddress> src = routes.sourceFor(manager);
            if (src.isPresent()) {
                NetIface owner = owner(src.get());
                return new Selection(
                        src.get(),
                        owner,
                        "source of the route to " + manager.getHostAddress()
                                + (owner == null ? "" : " via " + owner.name()));
            }
        }
        List<NetIface> candidates = ifaces.stream()
                .filter(i -> i.up() && !i.loopback() && usable(i).isPresent())
                .toList();
        if (candidates.size() == 1) return fromInterface(candidates.get(0), flag, "the only interface with an address");
        throw N0d3Exception.usage("cannot choose the address to advertise: "
                + (manager == null ? "no manager to route to" : "no route to " + manager.getHostAddress())
                + " and "
                + (candidates.isEmpty()
                        ? "no interface has an address"
                        : "several interfaces have one (" + describe(candidates) + ")")
                + "; pass " + flag + " IP|INTERFACE");
    }

    private Selection explicit(String spec, String flag) {
        if (looksLikeIp(spec)) {
            InetAddress a;
            try {
                a = InetAddress.getByName(spec);
            } catch (UnknownHostException e) {
                throw N0d3Exception.usage(flag + ": '" + spec + "' is not a valid IP address");
            }
            NetIface owner = owner(a);
            return new Selection(
                    a,
                    owner,
                    owner == null
                            ? "given by " + flag + " (not an address of this host: behind NAT?)"
                            : "given by " + flag + " (on " + owner.name() + ")");
        }
        NetIface i = ifaces.stream()
                .filter(x -> x.name().equals(spec))
                .findFirst()
                .orElseThrow(() -> N0d3Exception.usage(flag + ": no interface or IP address '" + spec
                        + "' on this host; interfaces: "
                        + describe(ifaces.stream().filter(x -> !x.loopback()).toList())));
        if (!i.up()) throw N0d3Exception.usage(flag + ": interface " + spec + " is down");
        return fromInterface(i, flag, "interface " + spec + " (" + flag + ")");
    }

    private Selection fromInterface(NetIface i, String flag, String reason) {
        List<InetAddress> v4 = i.ipv4();
        if (v4.size() > 1) {
            throw N0d3Exception.usage(
                    "cannot choose the address to advertise: interface " + i.name() + " has several IPv4 addresses ("
                            + v4.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "))
                            + "); pass " + flag + " with one of them");
        }
        if (v4.size() == 1) return new Selection(v4.get(0), i, reason);
        List<InetAddress> v6 = i.ipv6Global();
        if (v6.size() == 1) return new Selection(v6.get(0), i, reason);
        if (v6.isEmpty()) throw N0d3Exception.usage(flag + ": interface " + i.name() + " has no usable address");
        throw N0d3Exception.usage("cannot choose the address to advertise: interface " + i.name()
                + " has no IPv4 and several IPv6 addresses ("
                + v6.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")) + "); pass " + flag
                + " with one of them");
    }

    private static Optional<InetAddress> usable(NetIface i) {
        if (!i.ipv4().isEmpty()) return Optional.of(i.ipv4().get(0));
        return i.ipv6Global().stream().findFirst();
    }

    /** The interface carrying this address, or null. */
    public NetIface owner(InetAddress a) {
        return ifaces.stream()
                .filter(i -> i.addresses().contains(a))
                .findFirst()
                .orElse(null);
    }

    /** Every address of this host, for telling a manager address that is this host itself. */
    public java.util.Set<String> ownHosts() {
        return ifaces.stream()
                .flatMap(i -> i.addresses().stream())
                .map(a -> a.getHostAddress().replaceFirst("%.*$", "").toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    static boolean looksLikeIp(String s) {
        return s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (s.contains(":") && s.matches("[0-9a-fA-F:.]+"));
    }

    static String describe(List<NetIface> list) {
        return list.stream()
                .map(i -> i.name() + " "
                        + (i.addresses().isEmpty()
                                ? "(no address)"
                                : i.addresses().stream()
                                        .filter(a -> !a.isLinkLocalAddress())
                                        .map(InetAddress::getHostAddress)
                                        .collect(Collectors.joining(" "))))
                .collect(Collectors.joining(", "));
    }
}
