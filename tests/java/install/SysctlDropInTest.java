package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lib.install.SysctlDropIn;
import org.junit.jupiter.api.Test;

/** /etc/sysctl.d/60-pr-cybr.conf: what is set in which case, in sysctl.d(5) syntax. */
class SysctlDropInTest {
    static List<String> settings(String text) {
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void withoutOverlaysOnlyIpv4Forwarding() {
        assertEquals(List.of("net.ipv4.ip_forward = 1"), settings(SysctlDropIn.render(false, false)));
    }

    @Test
    void anOverlayAddsLooseReversePathFiltering() {
        assertEquals(
                List.of(
                        "net.ipv4.ip_forward = 1",
                        "net.ipv4.conf.all.rp_filter = 2",
                        "net.ipv4.conf.default.rp_filter = 2"),
                settings(SysctlDropIn.render(true, false)));
    }

    @Test
    void ipv6ForwardingOnlyWhenTailscaleRoutesForTheTailnet() {
        assertFalse(SysctlDropIn.render(true, false).contains("ipv6"));
        assertTrue(settings(SysctlDropIn.render(true, true)).contains("net.ipv6.conf.all.forwarding = 1"));
    }

    @Test
    void everyLineIsACommentOrKeyEqualsValueAndTheFileEndsWithANewline() {
        String t = SysctlDropIn.render(true, true);
        assertTrue(t.endsWith("\n"));
        for (String l : t.split("\n")) assertTrue(l.startsWith("#") || l.matches("[a-z0-9_.]+ = [0-9]+"), l);
        assertTrue(t.startsWith("# Written by PR-CYBR-N0D3 install.java"));
    }
}
