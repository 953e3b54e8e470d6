package org.softmax4j;

import org.softmax4j.vector.VectorKernel;

/** The accuracy bars for the Vector API kernel, on the species of this run (see the surefire executions). */
class VectorKernelTest extends KernelAccuracyTests {
    @Override
    SoftmaxKernel kernel() {
        return VectorKernel.create();
    }
}
