package org.softmax4j;

/**
 * The "softmax4j-scalar" benchmark contender: the library's own fallback kernel, forced, so the benchmarks can show
 * what a JVM without {@code jdk.incubator.vector} (or without C2) gets. It lives in the kernel's package, inside the
 * bench module, because the kernel choice is package-private on purpose; the split package is harmless on the class
 * path, which is the only way the benchmarks run.
 */
public final class ForcedScalarSoftmax {
    private ForcedScalarSoftmax() {
    }

    public static void softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        RowSoftmax.softmax(ScalarKernel.INSTANCE, src, srcOffset, dst, dstOffset, length);
    }

    public static void logSoftmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        RowSoftmax.logSoftmax(ScalarKernel.INSTANCE, src, srcOffset, dst, dstOffset, length);
    }
}
