package org.softmax4j.vector;

import java.lang.System.Logger.Level;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every vector microkernel uses, chosen once. It must sit in a {@code static final} field: C2
 * intrinsifies Vector API calls only when the species is a compile-time constant, and boxes every vector
 * otherwise (about 10x slower).
 *
 * <p>Default: the CPU's preferred shape (512 bits with AVX-512, 256 with AVX2). The system property
 * {@code softmax4j.vectorBits} (128, 256 or 512) forces a narrower shape, e.g. to compare 256 and 512 bits
 * on an AVX-512 machine; a wider one than the CPU has would run emulated, so it is refused with a warning.
 */
final class Lanes {
    private Lanes() {}

    static final String BITS_PROPERTY = "softmax4j.vectorBits";

    static final VectorSpecies<Float> FLOATS = chooseFloatSpecies();
    /** Doubles in the same shape: half as many lanes, for widening float partial sums. */
    static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED.withShape(FLOATS.vectorShape());

    private static VectorSpecies<Float> chooseFloatSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        String requested = System.getProperty(BITS_PROPERTY);
        if (requested == null || requested.isBlank()) {
            return preferred;
        }
        int bits;
        try {
            bits = Integer.parseInt(requested.trim());
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            warn("-D" + BITS_PROPERTY + "=" + requested + " is not 128, 256 or 512; using the CPU's preferred "
                    + preferred.vectorBitSize() + " bits");
            return preferred;
        }
        if (bits > preferred.vectorBitSize()) {
            warn("-D" + BITS_PROPERTY + "=" + bits + " is wider than this CPU's " + preferred.vectorBitSize()
                    + "-bit vectors (it would run emulated); using " + preferred.vectorBitSize() + " bits");
            return preferred;
        }
        return FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(bits));
    }

    /** e.g. "vector-256 (AVX2)": the lane width and the instruction set it implies on this architecture. */
    static String describe() {
        int bits = FLOATS.vectorBitSize();
        String arch = System.getProperty("os.arch", "");
        String isa;
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            isa = bits >= 512 ? "AVX-512" : bits == 256 ? "AVX2" : "SSE";
        } else if (arch.equals("aarch64")) {
            isa = bits == 128 ? "NEON" : "SVE";
        } else {
            isa = arch;
        }
        return "vector-" + bits + " (" + isa + ")";
    }

    private static void warn(String message) {
        System.getLogger("org.softmax4j").log(Level.WARNING, message);
    }
}
