package lib.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import support.Project;

/** Distro and OsRelease on the real os-release files in tests/resources/os-release. */
class DistroTest {
    static final Path SAMPLES = Project.basedir().resolve("tests/resources/os-release");

    static OsRelease sample(String name) throws IOException {
        return OsRelease.parse(Files.readString(SAMPLES.resolve(name), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        debian-12            | DEBIAN  | apt-get | debian    | -              | 12     | bookworm | Debian GNU/Linux 12 (bookworm)
        ubuntu-22.04         | DEBIAN  | apt-get | ubuntu    | debian         | 22.04  | jammy    | Ubuntu 22.04.5 LTS
        ubuntu-24.04         | DEBIAN  | apt-get | ubuntu    | debian         | 24.04  | noble    | Ubuntu 24.04.1 LTS
        raspios-armhf        | DEBIAN  | apt-get | raspbian  | debian         | 12     | bookworm | Raspbian GNU/Linux 12 (bookworm)
        raspios-arm64        | DEBIAN  | apt-get | debian    | -              | 12     | bookworm | Debian GNU/Linux 12 (bookworm)
        fedora-40            | FEDORA  | dnf     | fedora    | -              | 40     | -        | Fedora Linux 40 (Server Edition)
        rocky-9              | FEDORA  | dnf     | rocky     | rhel centos fedora | 9.4 | -       | Rocky Linux 9.4 (Blue Onyx)
        alpine-3.20          | ALPINE  | apk     | alpine    | -              | 3.20.3 | -        | Alpine Linux v3.20
        linuxmint-21         | DEBIAN  | apt-get | linuxmint | ubuntu debian  | 21.3   | jammy    | Linux Mint 21.3
        pop-22.04            | DEBIAN  | apt-get | pop       | ubuntu debian  | 22.04  | jammy    | Pop!_OS 22.04 LTS
        unknown-nixos-24.05  | UNKNOWN | -       | nixos     | -              | 24.05  | uakari   | NixOS 24.05 (Uakari)
        unknown-gentoo       | UNKNOWN | -       | gentoo    | -              | 2.15   | -        | Gentoo Linux
        """)
    void realOsReleaseFiles(
            String file,
            Distro.Family family,
            String pm,
            String id,
            String idLike,
            String version,
            String codename,
            String pretty)
            throws IOException {
        OsRelease os = sample(file);
        Distro d = Distro.of(os);
        assertEquals(family, d.family(), file);
        assertEquals(pm == null ? "" : pm, d.family().packageManager());
        assertEquals(family != Distro.Family.UNKNOWN, d.known());
        assertEquals(id, d.id());
        assertEquals(idLike == null ? List.of() : List.of(idLike.split(" ")), os.idLike());
        assertEquals(version, d.versionId());
        assertEquals(
                codename == null ? "" : codename, d.codename(), "the codename Docker's apt repository is keyed by");
        assertEquals(pretty, d.prettyName());
    }

    @Test
    void everySampleIsCovered() throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            assertEquals(
                    12,
                    s.filter(p -> !p.getFileName().toString().endsWith(".md")).count(),
                    "a sample was added or removed: update realOsReleaseFiles");
        }
    }

    @Test
    void mintKeepsItsOwnCodenameButReportsUbuntus() throws IOException {
        OsRelease os = sample("linuxmint-21");
        assertEquals("virginia", os.get("VERSION_CODENAME"));
        assertEquals("jammy", os.codename());
        assertEquals("jammy", Distro.of(os).codename());
    }

    @Test
    void anUnlistedDerivativeIsPlacedByIdLike() {
        Distro d = Distro.of(
                OsRelease.parse("ID=neon\nID_LIKE=\"ubuntu debian\"\nVERSION_ID=\"22.04\"\nUBUNTU_CODENAME=jammy\n"));
        assertEquals(Distro.Family.DEBIAN, d.family());
        assertEquals("jammy", d.codename());
        assertEquals(
                Distro.Family.FEDORA,
                Distro.of(OsRelease.parse("ID=\"eurolinux\"\nID_LIKE=\"rhel centos fedora\"\n"))
                        .family());
        assertEquals(
                Distro.Family.UNKNOWN,
                Distro.of(OsRelease.parse("ID=serenity\nID_LIKE=\"haiku plan9\"\n"))
                        .family());
    }

    @Test
    void parsingFollowsOsRelease5() {
        OsRelease os = OsRelease.parse("""
                # a comment
                NAME='Single Quoted'
                ID="WeirdCase"
                VERSION="1 (\\"quoted\\" \\$dollar \\\\ back)"
                   PRETTY_NAME = "spaced"
                NOEQUALS
                EMPTY=
                """);
        assertEquals("Single Quoted", os.get("NAME"));
        assertEquals("weirdcase", os.id(), "IDs are lower case");
        assertEquals("1 (\"quoted\" $dollar \\ back)", os.get("VERSION"));
        assertEquals("spaced", os.prettyName());
        assertEquals("", os.get("EMPTY"));
        assertFalse(os.fields().containsKey("NOEQUALS"));
        assertEquals("", os.get("MISSING"));
    }

    @Test
    void prettyNameFallsBackToNameAndVersion() {
        assertEquals("Foo 3", OsRelease.parse("NAME=Foo\nVERSION_ID=3\n").prettyName());
    }

    @Test
    void readPrefersEtcThenUsrLibThenNothing(@TempDir Path root) throws IOException {
        assertTrue(OsRelease.read(root).fields().isEmpty());
        Distro empty = Distro.of(OsRelease.read(root));
        assertEquals(Distro.Family.UNKNOWN, empty.family());
        assertEquals("", empty.id());

        Files.createDirectories(root.resolve("usr/lib"));
        Files.copy(SAMPLES.resolve("alpine-3.20"), root.resolve("usr/lib/os-release"));
        assertEquals("alpine", OsRelease.read(root).id());

        Files.createDirectories(root.resolve("etc"));
        Files.copy(SAMPLES.resolve("rocky-9"), root.resolve("etc/os-release"));
        assertEquals("rocky", OsRelease.read(root).id());
        assertEquals(Map.of(), OsRelease.parse("").fields());
    }
}
