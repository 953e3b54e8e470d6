package org.softmax4j;

/** The accuracy bars for the scalar fallback. */
class ScalarKernelTest extends KernelAccuracyTests {
    @Override
    SoftmaxKernel kernel() {
        return ScalarKernel.INSTANCE;
    }
}
