package lib.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The distro family, decided from ID then ID_LIKE: it picks the package manager and how Docker is
 * installed. Mint and Pop!_OS are Ubuntu underneath (UBUNTU_CODENAME gives the Ubuntu release).
 */
public record Distro(Family family, String id, String versionId, String codename, String prettyName) {
    public enum Family {
        DEBIAN("apt-get"),
        FEDORA("dnf"),
        ALPINE("apk"),
        UNKNOWN("");

        private final String packageManager;

        Family(String pm) {
            this.packageManager = pm;
        }

        public String packageManager() {
            return packageManager;
        }
    }

    public static Distro of(OsRelease os) {
        List<String> ids = new ArrayList<>();
        ids.add(os.id());
        ids.addAll(os.idLike());
        Family fam = Family.UNKNOWN;
        for (String id : ids) {
            fam = switch (id) {
                case "debian", "ubuntu", "raspbian", "linuxmint", "pop", "elementary", "zorin", "kali" -> Family.DEBIAN;
                case "fedora", "rhel", "centos", "rocky", "almalinux", "ol" -> Family.FEDORA;
                case "alpine" -> Family.ALPINE;
                default -> Family.UNKNOWN;
            };
            if (fam != Family.UNKNOWN) break;
        }
        return new Distro(fam, os.id(), os.versionId(), os.codename(), os.prettyName());
    }

    public boolean known() {
        return family != Family.UNKNOWN;
    }
}
