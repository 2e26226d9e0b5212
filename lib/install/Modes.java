package lib.install;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Unix permission bits as the operator writes them (0644) and as java.nio wants them. */
public final class Modes {
    private static final PosixFilePermission[] ORDER = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private Modes() {}

    public static int toInt(Set<PosixFilePermission> perms) {
        int m = 0;
        for (int i = 0; i < ORDER.length; i++) {
            if (perms.contains(ORDER[i])) m |= 1 << i;
        }
        return m;
    }

    public static Set<PosixFilePermission> toSet(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < ORDER.length; i++) {
            if ((mode & (1 << i)) != 0) s.add(ORDER[i]);
        }
        return s;
    }

    /** "0644". */
    public static String format(int mode) {
        return String.format("%04o", mode);
    }

    public static int parse(String text) {
        return Integer.parseInt(text, 8);
    }
}
