package org.softmax4j;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;

/**
 * Chooses the kernel once, at class init of {@link Softmax}: the Vector API kernel when
 * {@code jdk.incubator.vector} is readable and C2 will compile it, the scalar kernel otherwise, with one warning
 * that says why and what to pass. The vector kernel is loaded reflectively, so no other class links against the
 * incubator module and a JVM without it never sees those classes.
 */
final class KernelProvider {
    private KernelProvider() {}

    static final System.Logger LOG = System.getLogger("org.softmax4j");
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_KERNEL = "org.softmax4j.vector.VectorKernel";

    static SoftmaxKernel choose() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return fallBack(VECTOR_MODULE + " not enabled",
                    "Pass --add-modules " + VECTOR_MODULE + " to java to enable SIMD (typically 10x faster).");
        }
        String noC2 = whyC2IsOff();
        if (noC2 != null) {
            return fallBack(noC2, "Without C2 the Vector API is interpreted and far slower than scalar code.");
        }
        try {
            return (SoftmaxKernel) Class.forName(VECTOR_KERNEL).getMethod("create").invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return fallBack("vector kernel failed to load: " + e, "Please report this with your JDK version.");
        }
    }

    private static SoftmaxKernel fallBack(String reason, String advice) {
        LOG.log(Level.WARNING, "softmax4j uses its scalar kernel: " + reason + ". " + advice);
        return ScalarKernel.because(reason);
    }

    /** Why C2 will not compile our loops (interpreter only, client emulation, tiered stop below 4), or null. */
    private static String whyC2IsOff() {
        String vmInfo = System.getProperty("java.vm.info", "");
        if (vmInfo.contains("interpreted mode")) {
            return "the JIT is off (-Xint)";
        }
        if (vmInfo.contains("emulated-client")) {
            return "C2 is off (client emulation)";
        }
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("TieredCompilation").getValue())
                    && Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue()) < 4) {
                return "C2 is off (-XX:TieredStopAtLevel < 4)";  // without tiered compilation only C2 runs
            }
        } catch (LinkageError | RuntimeException e) {
            // java.management or jdk.management absent (a jlink'd runtime), or not HotSpot: assume C2.
        }
        return null;
    }
}
