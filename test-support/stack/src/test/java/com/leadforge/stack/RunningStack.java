package com.leadforge.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the whole stack once for every test class of this module that asks for a {@link Stack} parameter, and
 * stops it when the test run ends (JUnit closes AutoCloseable values of the root store), even after failures.
 */
public class RunningStack implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(Stack.class, key -> start(), Stack.class);
    }

    private static Stack start() {
        Path root = Path.of(System.getProperty("leadforge.root")).toAbsolutePath().normalize();
        Path work = root.resolve("test-support/stack/target/e2e-stack");
        deleteRecursively(work);
        long started = System.nanoTime();
        Stack stack = Stack.start(new Stack.Layout(root, Path.of(System.getProperty("leadforge.keycloak.dist")), work,
                false, Stack.StackPorts.free()));
        System.out.printf("End-to-end stack up in %.1f s (logs: %s)%n", (System.nanoTime() - started) / 1e9,
                stack.logs());
        return stack;
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
