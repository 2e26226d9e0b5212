package install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import lib.install.InstallOptions;
import lib.install.VerificationPhase;
import lib.overlay.OverlaySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.FakeHttp;
import support.FakeHttp.Answer;

/** deployment.verification's {@code check: http} against a loopback server (support.FakeHttp): 2xx is ok, anything else fails. */
class VerificationHttpCheckTest {
    @TempDir
    Path dir;

    FakeHttp web;
    TestHost host;

    @BeforeEach
    void setUp() throws Exception {
        web = FakeHttp.http();
        host = new TestHost(dir);
    }

    @AfterEach
    void tearDown() {
        web.close();
    }

    List<String> verify(String url) {
        host.codex = "deployment:\n  verification:\n    - name: web\n      check: http\n      url: " + url + "\n";
        VerificationPhase v = new VerificationPhase(OverlaySettings.none());
        v.plan(host.context(InstallOptions.defaults()));
        return v.table().rows().stream()
                .map(r -> r.name() + " " + r.result() + " " + r.detail())
                .toList();
    }

    @Test
    void twoHundredIsOkAndTheUrlIsAskedAsWritten() {
        web.answer(Answer.text(204, "text/plain", ""));
        assertEquals(
                List.of("web OK HTTP 204 from " + web.url() + "/health/?full=1"),
                verify(web.url() + "/health/?full=1"));
        assertEquals("GET /health/?full=1", web.only().line());
    }

    @Test
    void anotherStatusOrNoAnswerFails() {
        web.answer(Answer.json(503, "{}"));
        assertEquals(List.of("web FAIL HTTP 503 from " + web.url() + "/"), verify(web.url() + "/"));
        String url = web.url();
        web.close();
        assertEquals(List.of("web FAIL " + url + "/: connection refused"), verify(url + "/"));
    }
}
