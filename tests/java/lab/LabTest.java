package lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One lab per test class: started before all its tests, torn down after them (a teardown that
 * leaves anything behind fails the class). Test methods, {@code @BeforeAll}/{@code @AfterAll}
 * methods and constructors get it as a {@link Lab} parameter.
 *
 * <pre>
 * &#64;LabTest(nodes = 3, registry = true)
 * class SwarmJoinLabTest {
 *     &#64;Test
 *     void joins(Lab lab) { lab.node(2).docker().info(); }
 * }
 * </pre>
 *
 * The id is {@link #id()} when given, else the first free id from a hash of the class name
 * (20..200), so classes and concurrent runs never share a lab.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("lab")
@ExtendWith(LabExtension.class)
public @interface LabTest {
    /** dockerd nodes, 1..20. */
    int nodes() default 1;

    /** An exact lab id 1..200; 0 = automatic. */
    int id() default 0;

    /** docker-registry on 127.0.0.1:(5000+ID). */
    boolean registry() default false;

    /** QEMU binfmt for arm64 and armv7 (host-wide; unregistered by the last lab with binfmt to go down). */
    boolean binfmt() default false;

    /** One more dockerd in the root namespace (buildx builds pushing to the registry). */
    boolean hostDaemon() default false;

    /** Import n0d3-lab/busybox:latest into every daemon. */
    boolean busybox() default false;

    /**
     * More {@code -H} addresses for the nodes' dockerd, as lab.sh's {@code --dockerd-host}: {@code "K=URL"} for
     * node K, {@code "URL"} for every node (e.g. {@code "2=tcp://0.0.0.0:2375"}: node 2 serves the Engine API
     * on TCP without TLS; dockerd then delays its start by about 15 s on purpose).
     */
    String[] dockerdHosts() default {};

    /** How long every daemon may take to answer /_ping. */
    int startTimeoutSeconds() default 60;
}
