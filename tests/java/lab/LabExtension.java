package lab;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts the {@link LabTest} lab of a test class before all its tests and stops it after them.
 * When the lab cannot run here each test is aborted (reported as skipped, with the reason), or the
 * class fails when N0D3_REQUIRE_LAB=1.
 */
public class LabExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);
    private static final String KEY = "lab";
    private static final String UNAVAILABLE = "unavailable";

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        LabTest spec = AnnotationSupport.findAnnotation(testClass, LabTest.class)
                .orElseThrow(() -> new LabException(testClass.getName() + " uses LabExtension without @LabTest"));
        LabOptions options = options(spec, testClass);
        String why = Lab.unavailableReason(options);
        if (why != null && !Lab.required()) {
            // skip test by test (beforeEach), so that every skipped test is counted and shows the reason
            context.getStore(NS)
                    .put(
                            UNAVAILABLE,
                            "Docker lab unavailable: " + why + " (" + Lab.REQUIRE_ENV + "=1 makes this a failure)");
            return;
        }
        context.getStore(NS).put(KEY, Lab.start(options));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String why = context.getStore(NS).get(UNAVAILABLE, String.class);
        if (why != null) Assumptions.abort(why);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Lab lab = context.getStore(NS).remove(KEY, Lab.class);
        if (lab != null) lab.close();
    }

    static LabOptions options(LabTest spec, Class<?> testClass) {
        LabOptions o = LabOptions.nodes(spec.nodes(), testClass)
                .withId(spec.id())
                .withStartTimeout(Duration.ofSeconds(spec.startTimeoutSeconds()));
        if (spec.registry()) o = o.withRegistry();
        if (spec.binfmt()) o = o.withBinfmt();
        if (spec.hostDaemon()) o = o.withHostDaemon();
        if (spec.busybox()) o = o.withBusybox();
        for (String h : spec.dockerdHosts()) {
            int eq = h.indexOf('=');
            o = eq < 0
                    ? o.withDockerdHost(0, h)
                    : o.withDockerdHost(Integer.parseInt(h.substring(0, eq)), h.substring(eq + 1));
        }
        return o;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Lab lab = e.getStore(NS).get(KEY, Lab.class);
        if (lab == null) throw new ParameterResolutionException("no lab is running for " + e.getDisplayName());
        return lab;
    }
}
