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
        unknown field    #  metadata:\\n  name: ok\\n  colour: red\\n                #  bad.yaml:3:3: metadata.colour: unknown field
        unknown top      #  swarm:\\n  role: worker\\n                             #  bad.yaml:1:1: swarm: unknown field
        bad enum         #  capabilities:\\n  swarm:\\n    role: boss\\n             #  bad.yaml:3:5: capabilities.swarm.role: expected one of ["worker", "manager"], got "boss"
        bad duration     #  management:\\n  timeout: soon\\n                         #  bad.yaml:2:3: management.timeout: does not match the expected form ^[0-9]+(ms|s|m|h|d)?$, got "soon"
        list item        #  security:\\n  network_policies:\\n    ports:\\n      - {port: 70000, protocol: tcp}\\n  #  bad.yaml:4:10: security.network_policies.ports[0].port: must have a maximum value of 65535
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
}
