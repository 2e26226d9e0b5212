package lib.swarm;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The local address the kernel would use to reach a target: connect an unbound UDP socket to it and
 * read the local address back. connect() on UDP only consults the routing table; no packet is sent.
 * (The same answer as the "src" of {@code ip route get TARGET}, without starting a process.)
 */
public interface RouteSource {
    Optional<InetAddress> sourceFor(InetAddress target);

    static RouteSource system() {
        return target -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(new InetSocketAddress(target, 9));
                InetAddress local = s.getLocalAddress();
                return local == null || local.isAnyLocalAddress() ? Optional.empty() : Optional.of(local);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        };
    }
}
