package io.millrace.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, prints where the logs of the nodes its class started are, and their last
 * lines. Registered for every test through JUnit's extension auto-detection
 * (META-INF/services and junit-platform.properties); nodes are found by the test class's simple
 * name, which the tests pass to {@link MillraceNode#builder(String)}.
 */
public final class NodeLogOnFailure implements TestWatcher {

    private static final int TAIL_LINES = 40;

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String name = context.getRequiredTestClass().getSimpleName();
        for (MillraceNode node : MillraceNode.startedAs(name)) {
            System.err.println("\n=== " + context.getDisplayName() + " failed; " + node
                    + (node.isRunning() ? " (running)" : " (not running)")
                    + "\n--- last " + TAIL_LINES + " lines of " + node.logFile() + " ---\n"
                    + node.logTail(TAIL_LINES) + "\n---");
        }
    }
}
