package lib.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import support.ChildJvm;

/**
 * What an operator sees: {@code install.java --detect -c BAD.yaml} in its own JVM (the built classes,
 * main class install) exits 2 with exactly one line on stderr naming FILE:LINE:COLUMN, and no stack trace.
 */
class MalformedCodexEndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', textBlock = """
        wrong type     #  metadata:\\n  name: 5\\n                      #                              #  :2:3: metadata.name: expected string, got integer 5
        unknown field  #  metadata:\\n  name: ok\\n  colour: red\\n      #                              #  :3:3: metadata.colour: unknown field; expected one of: name, version, description, repository, maintainer, node_name, labels
        near key       #  managment:\\n  timeout: 5s\\n                 #                              #  :1:1: managment: unknown field; did you mean 'management'?
        two documents  #  metadata:\\n  name: a\\n---\\nmetadata:\\n  name: b\\n  #                         #  :3:1: a second YAML document starts here (with metadata), which would be ignored: a config file is one document; merge it into the first or remove it
        zero interval  #  capabilities:\\n  telemetry:\\n    interval: 0s\\n  #                           #  :3:5: capabilities.telemetry.interval: expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, at most 365d, got "0s"
        huge number    #  resources:\\n  minimum:\\n    cpu_cores: 99999999999999999999999999\\n  #   #  :3:5: resources.minimum.cpu_cores: expected at most 8192, got 99999999999999999999999999 (out of range)
        broken YAML    #  metadata:\\n  name: [ok\\n  x: 1\\n            #                              #  :3:4: invalid YAML: while parsing a flow sequence; expected ',' or ']', but got :
        bad enum       #  capabilities:\\n  swarm:\\n    role: boss\\n   #                              #  :3:5: capabilities.swarm.role: expected one of ["worker", "manager"], got "boss"
        duplicate key  #  build: {registry: a}\\nbuild: {registry: b}\\n  #                              #  :2:6: invalid YAML: Duplicate field 'build'
        bad env value  #  metadata:\\n  name: fine\\n                   #  TELEMETRY_INTERVAL=every-now  #  TELEMETRY_INTERVAL (environment variable, overrides capabilities.telemetry.interval): expected a duration such as 500ms, 60s, 5m, 1h or 7d, got 'every-now'
        zero env value #  metadata:\\n  name: fine\\n                   #  TELEMETRY_INTERVAL=0s         #  TELEMETRY_INTERVAL (environment variable, overrides capabilities.telemetry.interval): expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, got '0s'
        bad env list   #  metadata:\\n  name: fine\\n                   #  SWARM_MANAGER_IP=a,b|c        #  SWARM_MANAGER_IP: expected a comma list of host or host:port, got 'b|c'
        """)
    void exit2OneLineNoStackTrace(String kind, String yaml, String envVar, String expected) throws Exception {
        Path bad = dir.resolve("BAD.yaml");
        Files.writeString(bad, yaml.replace("\\n", "\n"));
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"));
        env.put("NO_COLOR", "1");
        for (String v : Settings.ENV) env.put(v, null);
        if (envVar != null)
            env.put(envVar.substring(0, envVar.indexOf('=')), envVar.substring(envVar.indexOf('=') + 1));

        ChildJvm.Result r = ChildJvm.runMain("install", env, dir, "--detect", "-c", bad.toString());

        assertEquals(2, r.exit(), kind + ": " + r.stderr());
        assertEquals(1, r.stderrLines().size(), kind + ": expected one line on stderr, got:\n" + r.stderr());
        String line = r.stderrLines().get(0);
        assertEquals("error: " + (expected.startsWith(":") ? bad + expected : expected), line, kind);
        assertFalse(
                r.stderr().contains("\tat ") || r.stderr().contains("Exception"),
                kind + ": stack trace or exception name: " + r.stderr());
        assertEquals("", r.stdout(), kind + ": nothing on stdout");
    }
}
