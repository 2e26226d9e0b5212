package lib.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import lib.cli.N0d3Exception;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each kind of bad codex.yaml: one line, FILE:LINE:COLUMN, the field, what was expected; exit 2. */
class CodexLoaderTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', textBlock = """
        wrong type       #  metadata:\\n  name: 5\\n                                #  bad.yaml:2:3: metadata.name: expected string, got integer 5
        wrong type deep  #  resources:\\n  minimum:\\n    memory_mb: lots\\n        #  bad.yaml:3:5: resources.minimum.memory_mb: expected integer, got string "lots"
        unknown field    #  metadata:\\n  name: ok\\n  colour: red\\n                #  bad.yaml:3:3: metadata.colour: unknown field; expected one of: name, version, description, repository, maintainer, node_name, labels
        unknown top      #  swarm:\\n  role: worker\\n                             #  bad.yaml:1:1: swarm: unknown field; did you mean capabilities.swarm?
        bad enum         #  capabilities:\\n  swarm:\\n    role: boss\\n             #  bad.yaml:3:5: capabilities.swarm.role: expected one of ["worker", "manager"], got "boss"
        bad duration     #  management:\\n  timeout: soon\\n                         #  bad.yaml:2:3: management.timeout: expected a duration such as 500ms, 60s, 5m, 1h or 7d, at most 365d, got "soon"
        list item        #  security:\\n  network_policies:\\n    ports:\\n      - {port: 70000, protocol: tcp}\\n  #  bad.yaml:4:10: security.network_policies.ports[0].port: expected at most 65535, got 70000 (out of range)
        zero interval    #  capabilities:\\n  telemetry:\\n    interval: 0s\\n         #  bad.yaml:3:5: capabilities.telemetry.interval: expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, at most 365d, got "0s"
        zero seconds     #  capabilities:\\n  telemetry:\\n    interval: 0\\n          #  bad.yaml:3:5: capabilities.telemetry.interval: expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, at most 365d, got 0
        zeros ms         #  capabilities:\\n  telemetry:\\n    interval: 000ms\\n      #  bad.yaml:3:5: capabilities.telemetry.interval: expected a duration above zero, such as 500ms, 60s, 5m, 1h or 7d, at most 365d, got "000ms"
        huge cores       #  resources:\\n  minimum:\\n    cpu_cores: 99999999999999999999999999\\n  #  bad.yaml:3:5: resources.minimum.cpu_cores: expected at most 8192, got 99999999999999999999999999 (out of range)
        huge memory      #  resources:\\n  recommended:\\n    memory_mb: 99999999999999999999\\n  #  bad.yaml:3:5: resources.recommended.memory_mb: expected at most 67108864, got 99999999999999999999 (out of range)
        negative disk    #  resources:\\n  minimum:\\n    disk_gb: -1\\n             #  bad.yaml:3:5: resources.minimum.disk_gb: expected at least 0, got -1 (out of range)
        infinite         #  resources:\\n  minimum:\\n    disk_gb: 1.0e999\\n        #  bad.yaml:3:14: resources.minimum.disk_gb: expected a finite number, got 1.0e999 (out of range)
        long duration    #  management:\\n  timeout: 400d\\n                         #  bad.yaml:2:3: management.timeout: expected a duration of at most 365d, got '400d' (out of range)
        duration digits  #  management:\\n  timeout: 99999999999999999999999s\\n     #  bad.yaml:2:3: management.timeout: expected a duration of at most 365d, got '99999999999999999999999s' (out of range)
        duration number  #  management:\\n  timeout: 99999999999\\n                  #  bad.yaml:2:3: management.timeout: expected a duration such as 500ms, 60s, 5m, 1h or 7d, at most 365d, got 99999999999
        huge spool       #  capabilities:\\n  telemetry:\\n    spool: {max_bytes: 99999999999GiB}\\n  #  bad.yaml:3:13: capabilities.telemetry.spool.max_bytes: expected a size of at most 1024GiB, got '99999999999GiB' (out of range)
        second document  #  metadata:\\n  name: a\\n---\\nmetadata:\\n  name: b\\n   #  bad.yaml:3:1: a second YAML document starts here (with metadata), which would be ignored: a config file is one document; merge it into the first or remove it
        second inline    #  metadata: {name: a}\\n--- {build: {registry: x}}\\n     #  bad.yaml:2:1: a second YAML document starts here (with build), which would be ignored: a config file is one document; merge it into the first or remove it
        after empty      #  ---\\n---\\nmetadata: {name: a}\\n                   #  bad.yaml:2:1: a second YAML document starts here (with metadata), which would be ignored: a config file is one document; merge it into the first or remove it
        broken second    #  metadata: {name: a}\\n---\\nmetadata: [x\\n           #  bad.yaml:2:1: a second YAML document starts here (with metadata), which would be ignored: a config file is one document; merge it into the first or remove it
        broken YAML      #  metadata:\\n  name: [ok\\n  x: 1\\n                      #  bad.yaml:3:4: invalid YAML: while parsing a flow sequence; expected ',' or ']', but got :
        tab indent       #  metadata:\\n\\tname: x\\n                                #  bad.yaml:2:1: invalid YAML: while scanning for the next token; found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)
        duplicate key    #  metadata: {name: a}\\nmetadata: {name: b}\\n             #  bad.yaml:2:9: invalid YAML: Duplicate field 'metadata'
        not a mapping    #  - a\\n- b\\n                                           #  bad.yaml:1:1: expected a mapping at the top level, got a list
        """)
    void oneLineWithFileLineColumn(String kind, String yaml, String expected) {
        String text = yaml.replace("\\n", "\n").replace("\\t", "\t");
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> Settings.fromText("bad.yaml", text, Map.of()), kind);
        assertEquals(2, e.exitCode());
        assertEquals(expected, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** Unknown keys get the nearest known one, as picocli does for options (these messages hold single quotes, which CsvSource reads as quoting). */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("hints")
    void unknownKeysNameTheNearestKnownOne(String yaml, String expected) {
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> Settings.fromText("bad.yaml", yaml, Map.of()), yaml);
        assertEquals(2, e.exitCode());
        assertEquals(expected, e.getMessage());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> hints() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(
                        "managment:\n  api_endpoint: ''\n",
                        "bad.yaml:1:1: managment: unknown field; did you mean 'management'?"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "metadata:\n  nodeName: pi\n",
                        "bad.yaml:2:3: metadata.nodeName: unknown field; did you mean 'node_name'?"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "capabilities:\n  telemetry:\n    intervall: 30s\n",
                        "bad.yaml:3:5: capabilities.telemetry.intervall: unknown field; did you mean 'interval'?"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "resources:\n  minimum:\n    cpus_cores: 2\n",
                        "bad.yaml:3:5: resources.minimum.cpus_cores: unknown field; did you mean 'cpu_cores'?"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "capabilities:\n  telemetry:\n    role: worker\n",
                        "bad.yaml:3:5: capabilities.telemetry.role: unknown field; did you mean capabilities.swarm.role?"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "enabled: true\n",
                        "bad.yaml:1:1: enabled: unknown field; expected one of: metadata, management, capabilities, resources, endpoints, security, deployment, install, build"));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "---\nmetadata: {name: a}\n",
                "metadata: {name: a}\n---\n",
                "metadata: {name: a}\n--- # end\n",
                "metadata: {name: a}\n...\n",
                "metadata: {name: a}\n---\n---\n"
            })
    void aDocumentMarkerAloneIsFine(String yaml) {
        assertEquals(
                "a",
                Settings.fromText("ok.yaml", yaml, Map.of()).codex().metadata().name());
    }

    @org.junit.jupiter.api.Test
    void editDistanceCountsATranspositionAsOneEdit() {
        assertEquals(1, SchemaHints.distance("managment", "management"));
        assertEquals(1, SchemaHints.distance("metdaata", "metadata"));
        assertEquals(0, SchemaHints.distance("", ""));
        assertEquals(3, SchemaHints.distance("abc", ""));
    }
}
