package io.warden.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads the agent's implementation from its own jar as a named module in a module layer of its own.
 *
 * <p>Why: classes in an unnamed module are open to deep reflection by any code, so the function could reach into the
 * agent and switch it off. A named module that opens no package cannot be reflected into; {@code java.lang} is opened to
 * this module alone, which lets it define Warden's gate class inside {@code java.base} without opening anything to the
 * function. Only this package ({@code io.warden.agent}) stays on the class path, and it holds no state.
 */
final class AgentLayer {

    static final String MODULE = "io.warden.agent.core";
    private static final String EXPORTED_PACKAGE = "io.warden.agent.core";
    private static final String LAUNCHER_PACKAGE = Premain.class.getPackageName();

    private AgentLayer() {}

    static Path agentJar() throws Exception {
        return Path.of(Premain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static ModuleLayer define(Path agentJar) throws IOException {
        // Stays open for the life of the JVM: the module loads its classes from it lazily.
        JarFile jar = new JarFile(agentJar.toFile(), false);
        ModuleDescriptor descriptor = ModuleDescriptor.newModule(MODULE)
                .requires("java.instrument")
                .exports(EXPORTED_PACKAGE)
                .packages(packagesOf(jar))
                .build();
        ModuleFinder finder = new SingleModuleFinder(new JarModuleReference(descriptor, agentJar.toUri(), jar));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
        return boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }

    private static Set<String> packagesOf(JarFile jar) {
        Set<String> packages = new HashSet<>();
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            String name = entries.nextElement().getName();
            int slash = name.lastIndexOf('/');
            if (name.endsWith(".class") && slash > 0 && !name.startsWith("META-INF/")) {
                String packageName = name.substring(0, slash).replace('/', '.');
                if (!packageName.equals(LAUNCHER_PACKAGE)) {
                    packages.add(packageName);
                }
            }
        }
        return packages;
    }

    private static final class SingleModuleFinder implements ModuleFinder {
        private final ModuleReference reference;

        SingleModuleFinder(ModuleReference reference) {
            this.reference = reference;
        }

        @Override
        public Optional<ModuleReference> find(String name) {
            return reference.descriptor().name().equals(name) ? Optional.of(reference) : Optional.empty();
        }

        @Override
        public Set<ModuleReference> findAll() {
            return Set.of(reference);
        }
    }

    private static final class JarModuleReference extends ModuleReference {
        private final JarFile jar;

        JarModuleReference(ModuleDescriptor descriptor, URI location, JarFile jar) {
            super(descriptor, location);
            this.jar = jar;
        }

        @Override
        public ModuleReader open() {
            return new JarModuleReader(jar, location().orElseThrow());
        }
    }

    private static final class JarModuleReader implements ModuleReader {
        private final JarFile jar;
        private final URI location;

        JarModuleReader(JarFile jar, URI location) {
            this.jar = jar;
            this.location = location;
        }

        @Override
        public Optional<URI> find(String name) {
            return jar.getJarEntry(name) == null ? Optional.empty() : Optional.of(URI.create("jar:" + location + "!/" + name));
        }

        @Override
        public Optional<InputStream> open(String name) throws IOException {
            JarEntry entry = jar.getJarEntry(name);
            return entry == null ? Optional.empty() : Optional.of(jar.getInputStream(entry));
        }

        @Override
        public Stream<String> list() {
            return jar.stream().map(JarEntry::getName);
        }

        @Override
        public void close() {
            // The jar stays open: the module keeps loading classes from it.
        }
    }
}
