package lib.swarm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A network interface as address selection sees it: name, state, MTU and its addresses. */
public record NetIface(String name, boolean up, boolean loopback, int mtu, List<InetAddress> addresses) {

    /** The IPv4 addresses, in the order the kernel lists them. */
    public List<InetAddress> ipv4() {
        return addresses.stream().filter(a -> a instanceof Inet4Address).toList();
    }

    /** Global (not link-local) IPv6 addresses. */
    public List<InetAddress> ipv6Global() {
        return addresses.stream()
                .filter(a -> !(a instanceof Inet4Address) && !a.isLinkLocalAddress() && !a.isLoopbackAddress())
                .toList();
    }

    public boolean zerotier() {
        return name.startsWith("zt");
    }

    public boolean tailscale() {
        return name.equals("tailscale0");
    }

    /** The interfaces of this host (of this network namespace), from java.net.NetworkInterface. */
    public static List<NetIface> system() {
        List<NetIface> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                List<InetAddress> addrs = new ArrayList<>(Collections.list(ni.getInetAddresses()));
                addrs.sort((a, b) -> Boolean.compare(!(a instanceof Inet4Address), !(b instanceof Inet4Address)));
                out.add(new NetIface(ni.getName(), ni.isUp(), ni.isLoopback(), ni.getMTU(), List.copyOf(addrs)));
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces: " + e.getMessage(), e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }
}
