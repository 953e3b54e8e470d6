package org.softmax4j.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * The constants of {@link ExpPolynomial}, broadcast once. The loops that need exp ({@link ExpSum},
 * {@link LogSumExp}) evaluate the polynomial inline, with the same operations in the same order as
 * {@link ExpPolynomial#exp}, so every lane equals the scalar result bitwise (the twin tests check it).
 *
 * <p>Why inline and not a helper method: C2 inlines our own methods only while the compilation is under its node
 * budget (NodeCountInliningCutoff), and a Vector API exp is large in C2's graph. When a kernel loop was inlined
 * into the facade after warm-up on short rows, the exp helper was refused, every vector was boxed, and the
 * softmax ran at 2.5 ns/element instead of 0.57 (256-bit). The JDK's own Vector API methods are force-inlined past
 * the budget, so a loop made only of them stays intact wherever it is compiled.
 */
final class ExpVector {
    private ExpVector() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;

    static final FloatVector LOG2E = FloatVector.broadcast(F, ExpPolynomial.LOG2E);
    static final FloatVector MAGIC_BIAS = FloatVector.broadcast(F, ExpPolynomial.MAGIC_BIAS);
    static final FloatVector MAGIC_BIAS_SCALED_2_64 = FloatVector.broadcast(F, ExpPolynomial.MAGIC_BIAS_SCALED_2_64);
    static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(F, ExpPolynomial.MINUS_LN2_HI);
    static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(F, ExpPolynomial.MINUS_LN2_LO);
    static final FloatVector C1 = FloatVector.broadcast(F, ExpPolynomial.C1);
    static final FloatVector C2 = FloatVector.broadcast(F, ExpPolynomial.C2);
    static final FloatVector C3 = FloatVector.broadcast(F, ExpPolynomial.C3);
    static final FloatVector C4 = FloatVector.broadcast(F, ExpPolynomial.C4);
    static final FloatVector C5 = FloatVector.broadcast(F, ExpPolynomial.C5);
    static final FloatVector C6 = FloatVector.broadcast(F, ExpPolynomial.C6);
    static final FloatVector ZERO = FloatVector.zero(F);
}
