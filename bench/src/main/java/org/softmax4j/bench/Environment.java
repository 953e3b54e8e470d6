package org.softmax4j.bench;

import jdk.incubator.vector.FloatVector;
import org.softmax4j.Softmax;

/**
 * Prints what a benchmark run is measuring on: JVM, the species the Vector API prefers, the kernel softmax4j
 * picked (honouring {@code -Dsoftmax4j.vectorBits}) and the ONNX Runtime version. Run by scripts/bench.sh with the
 * same JVM flags the forks get.
 */
public final class Environment {
    private Environment() {
    }

    public static void main(String[] args) {
        System.out.println("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.info") + ")");
        System.out.println("os: " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        System.out.println("vector api preferred species: " + FloatVector.SPECIES_PREFERRED);
        String bits = System.getProperty("softmax4j.vectorBits");
        System.out.println("softmax4j.vectorBits: " + (bits == null ? "(not set)" : bits));
        System.out.println("softmax4j implementation: " + Softmax.implementation());
        System.out.println("onnx runtime: " + OnnxSoftmax.version());
    }
}
