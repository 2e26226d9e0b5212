package lib.install;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.cli.N0d3Exception;
import lib.host.Distro;
import lib.proc.Command;

/**
 * The Java the units run: their ExecStart is {@code /usr/bin/java ... -jar /opt/pr-cybr/n0d3.jar}. When
 * /usr/bin/java is missing the telemetry phase installs the distro's headless Java 17 runtime first; under an
 * alternate --root nothing is installed and the plan says so. What it installed is kept in the install state.
 * Why a host may lack it, and the packages per family: docs/decisions/jbang-packaging.md.
 */
public final class UnitJava {
    /** The units' java. */
    public static final String JAVA = "/usr/bin/java";

    static final Duration TIMEOUT = Duration.ofMinutes(15);

    private UnitJava() {}

    /** The package manager and the package that give /usr/bin/java 17 on a family. */
    public record JavaPackage(String manager, String name) {}

    public static JavaPackage packageFor(Distro.Family family) {
        return switch (family) {
            case DEBIAN -> new JavaPackage("apt-get", "openjdk-17-jre-headless");
            case FEDORA -> new JavaPackage("dnf", "java-17-openjdk-headless");
            case ALPINE -> new JavaPackage("apk", "openjdk17-jre-headless");
            default ->
                throw N0d3Exception.usage(
                        "cannot install a Java runtime for the units on an unknown distribution family");
        };
    }

    /** The exact commands that install it (apt-get reads the package lists first). */
    public static List<Command> commands(Distro.Family family) {
        JavaPackage p = packageFor(family);
        List<Command> out = new ArrayList<>();
        switch (p.manager()) {
            case "apt-get" -> {
                out.add(Command.of("apt-get", "update").env("DEBIAN_FRONTEND", "noninteractive"));
                out.add(Command.of("apt-get", "install", "-y", "--no-install-recommends", p.name())
                        .env("DEBIAN_FRONTEND", "noninteractive"));
            }
            case "dnf" -> out.add(Command.of("dnf", "-y", "install", p.name()));
            default -> out.add(Command.of("apk", "add", "--no-cache", p.name()));
        }
        return out.stream().map(c -> c.timeout(TIMEOUT).echo(true)).toList();
    }

    /** Adds to the telemetry phase what it takes for /usr/bin/java to exist; true when something is planned. */
    static boolean plan(InstallContext ctx, PhasePlan p) {
        if (ctx.root().exists(JAVA)) return false;
        if (!ctx.root().live()) {
            p.note("no " + JAVA + " under " + ctx.root().dir()
                    + ": the units need a Java 17 runtime there (on a live host the installer installs "
                    + packageFor(ctx.family()).name() + ")");
            return false;
        }
        JavaPackage pkg = packageFor(ctx.family());
        p.note(JAVA + " is missing (the units run it): installing " + pkg.name() + " with " + pkg.manager());
        List<Command> cmds = commands(ctx.family());
        for (int i = 0; i < cmds.size(); i++) {
            CommandAction a = CommandAction.run(
                    cmds.get(i), i == cmds.size() - 1 ? "the Java runtime the units run" : "refresh the package lists");
            if (i == cmds.size() - 1) {
                a.then(c -> c.state()
                        .set(
                                InstallState.JAVA,
                                new InstallState.JavaRuntime(true, pkg.manager(), List.of(pkg.name()))));
            }
            p.add(a);
        }
        return true;
    }
}
