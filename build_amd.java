///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.zeroturnaround:zt-exec:1.12
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.8
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.21.8
//DEPS com.networknt:json-schema-validator:1.5.9
//DEPS org.slf4j:slf4j-api:2.0.20
//DEPS org.slf4j:slf4j-nop:2.0.20
//SOURCES lib/cli/BaseCommand.java
//SOURCES lib/cli/Cli.java
//SOURCES lib/cli/QuickArgs.java
//SOURCES lib/cli/CommonOptions.java
//SOURCES lib/cli/DryRunOption.java
//SOURCES lib/cli/ExitCode.java
//SOURCES lib/cli/Log.java
//SOURCES lib/cli/N0d3Exception.java
//SOURCES lib/cli/PositiveDuration.java
//SOURCES lib/cli/Version.java
//SOURCES lib/secret/Redactor.java
//SOURCES lib/secret/Secret.java
//SOURCES lib/secret/SecretSource.java
//SOURCES lib/config/Codex.java
//SOURCES lib/config/CodexCache.java
//SOURCES lib/config/Resources.java
//SOURCES lib/config/CodexLoader.java
//SOURCES lib/config/SchemaHints.java
//SOURCES lib/config/Settings.java
//SOURCES lib/host/HostName.java
//SOURCES lib/config/Units.java
//SOURCES lib/proc/Command.java
//SOURCES lib/proc/ProcessFailedException.java
//SOURCES lib/proc/ProcessResult.java
//SOURCES lib/proc/ProcessRunner.java
//SOURCES lib/docker/DockerApiException.java
//SOURCES lib/docker/DockerClient.java
//SOURCES lib/docker/DockerHost.java
//SOURCES lib/docker/EngineHttp.java
//SOURCES lib/docker/ListedContainer.java
//SOURCES lib/json/Json.java
//SOURCES lib/host/Arch.java
//SOURCES lib/build/Binfmt.java
//SOURCES lib/build/BinfmtSetup.java
//SOURCES lib/build/BuildCommand.java
//SOURCES lib/build/BuildOptions.java
//SOURCES lib/build/BuildPlan.java
//SOURCES lib/build/BuildPlanner.java
//SOURCES lib/build/BuildReport.java
//SOURCES lib/build/BuildSpec.java
//SOURCES lib/build/Buildx.java
//SOURCES lib/build/DockerCli.java
//SOURCES lib/build/Emulation.java
//SOURCES lib/build/GithubOutputs.java
//SOURCES lib/build/ImageBuild.java
//SOURCES lib/build/ImageTags.java
//SOURCES lib/build/ManifestList.java
//SOURCES lib/build/OciLabels.java
//SOURCES lib/build/Platforms.java
//SOURCES lib/build/Promotion.java
//SOURCES lib/build/RegistryCredentials.java
//SOURCES lib/build/SmokeTest.java
//SOURCES lib/plan/Step.java
//SOURCES lib/plan/Steps.java
//SOURCES lib/plan/Result.java
//FILES codex.yaml
//FILES schemas/codex.schema.json=schemas/codex.schema.json

import lib.build.BuildCommand;
import lib.cli.Cli;
import lib.host.Arch;
import picocli.CommandLine.Command;

@Command(
        name = "build_amd.java",
        description = {
            "Builds the node image for linux/amd64, smoke-tests it, and with --push / --manifest publishes it.",
            "",
            BuildCommand.TAGS,
            "",
            BuildCommand.LOGIN,
            "",
            BuildCommand.ACTIONS,
            ""
        })
public class build_amd extends BuildCommand {
    public build_amd() {
        super(Arch.AMD64);
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new build_amd(), args));
    }
}
