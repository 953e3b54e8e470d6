package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel choice follows the JVM flags. Surefire runs this class twice: with
 * {@code --add-modules jdk.incubator.vector} (the vector kernel must be chosen, silently) and without it, with
 * {@code -Dsoftmax4j.test.expectScalarFallback=true} (the scalar kernel must be chosen, correct, and announced by
 * exactly one warning that names the flag).
 */
class FallbackTest {
    private static final boolean EXPECT_SCALAR = Boolean.getBoolean("softmax4j.test.expectScalarFallback");

    @Test
    void kernelChoiceFollowsTheIncubatorModuleAndIsAnnouncedOnce() {
        assertEquals(!EXPECT_SCALAR, ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "this surefire execution does not run with the flags it claims");

        float[] p = Softmax.softmax(new float[] {2f, 1f, 0.5f, 1.5f});
        Softmax.softmax(new float[] {3f});
        double[] reference = ReferenceSoftmax.softmax(new float[] {2f, 1f, 0.5f, 1.5f}, 0, 4);
        for (int i = 0; i < 4; i++) {
            assertTrue(UlpError.ofProbability(p[i], reference[i]) <= 1, "p[" + i + "] = " + p[i]);
        }

        List<RecordingLoggerFinder.Entry> warnings = RecordingLoggerFinder.RECORDED.stream()
                .filter(e -> e.logger().equals("org.softmax4j") && e.level() == Level.WARNING)
                .toList();
        if (EXPECT_SCALAR) {
            assertEquals("scalar (jdk.incubator.vector not enabled)", Softmax.implementation());
            assertEquals(1, warnings.size(), "one warning, not one per call: " + warnings);
            assertTrue(warnings.get(0).message().contains("--add-modules jdk.incubator.vector"), warnings.get(0).message());
        } else {
            assertTrue(Softmax.implementation().startsWith("vector-"), Softmax.implementation());
            assertEquals(List.of(), warnings);
        }
    }
}
