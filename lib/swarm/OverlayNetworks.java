package lib.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import lib.config.Codex;
import lib.docker.DockerClient;
import lib.json.Json;

/**
 * The overlay networks a manager makes sure exist (codex.yaml capabilities.swarm.networks).
 *
 * <p>MTU: containers on an overlay network should get the underlay's MTU minus 50, the VXLAN
 * header (tailscale0 at 1280 gives 1230). Docker's overlay driver itself subtracts those 50 from the
 * {@code com.docker.network.driver.mtu} option (libnetwork drivers/overlay, maxMTU), so the option is
 * set to the container MTU plus 50. An MTU given in codex.yaml or by --mtu is the container MTU.
 */
public final class OverlayNetworks {
    public static final int VXLAN_OVERHEAD = 50;
    public static final String MTU_OPTION = "com.docker.network.driver.mtu";
    public static final String LABEL = "org.pr-cybr.n0d3.managed";
    /** What containers get on an overlay network created without the MTU option (1500 - 50). */
    public static final int DOCKER_DEFAULT_MTU = 1450;

    private OverlayNetworks() {}

    /** One network: what is wanted and what will be (or was) done. */
    public record Item(
            String name, boolean attachable, boolean encrypted, int mtu, String mtuReason, String action, String note) {
        public String describe() {
            return name + " (overlay, " + (attachable ? "attachable" : "not attachable")
                    + (encrypted ? ", encrypted" : "") + ", MTU " + (mtu > 0 ? mtu : "docker default")
                    + (mtuReason.isEmpty() ? "" : " = " + mtuReason) + ")";
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.object();
            n.put("name", name)
                    .put("action", action)
                    .put("attachable", attachable)
                    .put("encrypted", encrypted);
            if (mtu > 0) n.put("mtu", mtu);
            else n.putNull("mtu");
            if (!note.isEmpty()) n.put("note", note);
            return n;
        }
    }

    /** The container MTU for a network: --mtu, else the network's mtu, else underlay minus 50, else 0 (docker default). */
    public static int mtu(Integer flagMtu, Integer configMtu, int underlayMtu) {
        if (flagMtu != null) return flagMtu;
        if (configMtu != null) return configMtu;
        return underlayMtu > VXLAN_OVERHEAD ? underlayMtu - VXLAN_OVERHEAD : 0;
    }

    static String mtuReason(Integer flagMtu, Integer configMtu, int underlayMtu, String underlayName) {
        if (flagMtu != null) return "--mtu";
        if (configMtu != null) return "codex.yaml";
        return underlayMtu > VXLAN_OVERHEAD ? underlayName + " " + underlayMtu + " - " + VXLAN_OVERHEAD : "";
    }

    /** Plans each network against what exists ({@code docker} null: the node is not a manager yet, so all are "create"). */
    public static List<Item> plan(
            DockerClient docker,
            List<Codex.OverlayNetwork> wanted,
            Integer flagMtu,
            int underlayMtu,
            String underlayName) {
        return planAgainst(docker == null ? name -> null : docker::network, wanted, flagMtu, underlayMtu, underlayName);
    }

    /**
     * Plans against {@code existing} (name to GET /networks answer, null when absent). An existing
     * network keeps its MTU: it is only reported when it was asked for explicitly and differs, or when
     * it is larger than this node's underlay allows (the network was made on a node with a bigger one).
     */
    static List<Item> planAgainst(
            Function<String, JsonNode> existingNetworks,
            List<Codex.OverlayNetwork> wanted,
            Integer flagMtu,
            int underlayMtu,
            String underlayName) {
        List<Item> out = new ArrayList<>();
        if (wanted == null) return out;
        for (Codex.OverlayNetwork w : wanted) {
            boolean attachable = !Boolean.FALSE.equals(w.attachable());
            boolean encrypted = Boolean.TRUE.equals(w.encrypted());
            int mtu = mtu(flagMtu, w.mtu(), underlayMtu);
            String reason = mtuReason(flagMtu, w.mtu(), underlayMtu, underlayName);
            JsonNode existing = existingNetworks.apply(w.name());
            if (existing == null) {
                out.add(new Item(w.name(), attachable, encrypted, mtu, reason, "create", ""));
                continue;
            }
            List<String> drift = new ArrayList<>();
            if (!"overlay".equals(existing.path("Driver").asText()))
                drift.add("driver " + existing.path("Driver").asText() + ", not overlay");
            if (!"swarm".equals(existing.path("Scope").asText()))
                drift.add("scope " + existing.path("Scope").asText() + ", not swarm");
            if (existing.path("Attachable").asBoolean() != attachable)
                drift.add("attachable " + existing.path("Attachable").asBoolean());
            boolean isEncrypted = existing.path("Options").has("encrypted");
            if (isEncrypted != encrypted) drift.add(isEncrypted ? "encrypted" : "not encrypted");
            int haveMtu = existingMtu(existing);
            int effective = haveMtu > 0 ? haveMtu : DOCKER_DEFAULT_MTU;
            boolean explicit = flagMtu != null || w.mtu() != null;
            if (mtu > 0 && (explicit ? effective != mtu : effective > mtu)) {
                drift.add("MTU " + effective + (explicit ? "" : ", more than this node's " + reason + " allows"));
            }
            String note = drift.isEmpty()
                    ? ""
                    : "exists with " + String.join(", ", drift) + "; left as it is (remove it to have it recreated)";
            out.add(new Item(
                    w.name(), attachable, encrypted, mtu, reason, drift.isEmpty() ? "present" : "differs", note));
        }
        return out;
    }

    /** The container MTU of an existing network (its driver option minus 50), 0 when not set. */
    static int existingMtu(JsonNode network) {
        String opt = network.path("Options").path(MTU_OPTION).asText("");
        if (opt.isEmpty()) return 0;
        try {
            return Integer.parseInt(opt) - VXLAN_OVERHEAD;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The Engine API body for POST /networks/create. */
    public static ObjectNode createSpec(Item item) {
        ObjectNode spec = Json.object();
        spec.put("Name", item.name())
                .put("Driver", "overlay")
                .put("Attachable", item.attachable())
                .put("CheckDuplicate", true);
        ObjectNode opts = spec.putObject("Options");
        if (item.mtu() > 0) opts.put(MTU_OPTION, String.valueOf(item.mtu() + VXLAN_OVERHEAD));
        if (item.encrypted()) opts.put("encrypted", "");
        spec.putObject("Labels").put(LABEL, "true");
        return spec;
    }

    /** Creates a network planned "create"; returns it as "created". */
    public static Item create(DockerClient docker, Item i) {
        docker.networkCreate(createSpec(i));
        return new Item(i.name(), i.attachable(), i.encrypted(), i.mtu(), i.mtuReason(), "created", i.note());
    }
}
