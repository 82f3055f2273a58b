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
 * stops it when the test run ends (JUnit closes AutoCloseable values of the root store), even after failures. Every
 * service exports its traces to one in-test {@link OtlpReceiver}, which a test may ask for as a parameter too: the
 * stack runs with tracing on, as production does with a collector configured.
 */
public class RunningStack implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Stack.class || type == OtlpReceiver.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        OtlpReceiver receiver = store.computeIfAbsent(OtlpReceiver.class, key -> OtlpReceiver.start(),
                OtlpReceiver.class);
        Stack stack = store.computeIfAbsent(Stack.class, key -> start(receiver), Stack.class);
        return parameter.getParameter().getType() == Stack.class ? stack : receiver;
    }

    private static Stack start(OtlpReceiver traces) {
        Path root = Path.of(System.getProperty("leadforge.root")).toAbsolutePath().normalize();
        Path work = root.resolve("test-support/stack/target/e2e-stack");
        deleteRecursively(work);
        long started = System.nanoTime();
        Stack stack = Stack.start(new Stack.Layout(root, Path.of(System.getProperty("leadforge.keycloak.dist")), work,
                false, Stack.StackPorts.free(), traces.exporterEnvironment()));
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
