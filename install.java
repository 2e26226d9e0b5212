///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.zeroturnaround:zt-exec:1.12
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.3
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.21.3
//DEPS com.networknt:json-schema-validator:1.5.9
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//SOURCES lib/cli/BaseCommand.java
//SOURCES lib/cli/Cli.java
//SOURCES lib/cli/CommonOptions.java
//SOURCES lib/cli/DryRunOption.java
//SOURCES lib/cli/ExitCode.java
//SOURCES lib/cli/Log.java
//SOURCES lib/cli/N0d3Exception.java
//SOURCES lib/cli/Version.java
//SOURCES lib/secret/Redactor.java
//SOURCES lib/secret/Secret.java
//SOURCES lib/secret/SecretSource.java
//SOURCES lib/config/Codex.java
//SOURCES lib/config/CodexLoader.java
//SOURCES lib/config/Settings.java
//SOURCES lib/config/Units.java
//SOURCES lib/proc/Command.java
//SOURCES lib/proc/ProcessFailedException.java
//SOURCES lib/proc/ProcessResult.java
//SOURCES lib/proc/ProcessRunner.java
//SOURCES lib/docker/DockerApiException.java
//SOURCES lib/docker/DockerClient.java
//SOURCES lib/docker/DockerHost.java
//SOURCES lib/docker/EngineHttp.java
//SOURCES lib/host/Arch.java
//SOURCES lib/host/Distro.java
//SOURCES lib/host/HostFacts.java
//SOURCES lib/host/OsRelease.java
//FILES codex.yaml
//FILES schemas/codex.schema.json

import java.nio.file.Path;
import lib.cli.BaseCommand;
import lib.cli.Cli;
import lib.cli.Log;
import lib.cli.Version;
import lib.host.HostFacts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "install.java", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Turns this host into a PR-CYBR fleet node.",
            "",
            "Implemented so far: --detect (print the host facts the installer decides on)."
        },
        footer = {"", "Exit codes: 0 ok, 1 operational failure, 2 usage or config error, 3 unexpected host state."})
public class install extends BaseCommand {
    @Option(names = "--detect", description = "Print the host facts (architecture, distro, init system, container, Docker) and exit.")
    boolean detect;

    @Option(names = "--root", paramLabel = "DIR", description = "Read (and later write) files under DIR instead of / (like dpkg --root).")
    Path root = Path.of("/");

    public static void main(String[] args) {
        System.exit(Cli.execute(new install(), args));
    }

    @Override
    protected int run() {
        if (!detect) {
            throw lib.cli.N0d3Exception.usage("nothing to do yet: only --detect is implemented (see --help)");
        }
        settings();
        HostFacts facts = HostFacts.detect(root, env());
        Log.result(common.json ? facts.toJson() : facts.toText());
        if (facts.archError() != null) Log.warn(facts.archError());
        return 0;
    }
}
