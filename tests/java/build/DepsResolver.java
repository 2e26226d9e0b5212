package build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves a set of //DEPS coordinates to jars the way JBang does: all of them as direct dependencies
 * of one project, with their transitive runtime closure (Maven's nearest-wins), offline from the
 * build's local repository. The build has already downloaded everything the pom needs, so a
 * coordinate that is not in the pom fails to resolve here, which is what we want.
 */
public final class DepsResolver {
    private static final RepositorySystem SYSTEM = new RepositorySystemSupplier().get();
    private static final RemoteRepository CENTRAL =
            new RemoteRepository.Builder("central", "default", "https://repo.maven.apache.org/maven2/").build();

    private DepsResolver() {}

    public static List<Path> classpath(List<String> coordinates, Path localRepo) throws DependencyResolutionException {
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setOffline(true);
        // "simple": use whatever is in the local repository, whichever remote it came from
        session.setLocalRepositoryManager(
                SYSTEM.newLocalRepositoryManager(session, new LocalRepository(localRepo.toFile(), "simple")));
        CollectRequest collect = new CollectRequest();
        for (String gav : coordinates) {
            collect.addDependency(new Dependency(new DefaultArtifact(gav), JavaScopes.COMPILE));
        }
        collect.setRepositories(List.of(CENTRAL));
        DependencyRequest request =
                new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<Path> jars = new ArrayList<>();
        for (ArtifactResult r : SYSTEM.resolveDependencies(session, request).getArtifactResults()) {
            jars.add(r.getArtifact().getFile().toPath());
        }
        return jars;
    }
}
