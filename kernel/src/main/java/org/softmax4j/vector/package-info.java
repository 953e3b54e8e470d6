/**
 * The vector kernel (Vector API, {@code jdk.incubator.vector}), loaded only when the module is present.
 *
 * <h2>Where the kernel evaluates {@link org.softmax4j.ExpPolynomial}, and why more than once</h2>
 * Every copy uses the same operations in the same order as {@link org.softmax4j.ExpPolynomial#exp}, so every lane
 * equals the scalar result bitwise:
 * <ul>
 *   <li>{@link ExpSum} {@code quads}: four times, the loop body unrolled by hand (two exps per iteration measured
 *       twice as fast as one, four faster again on Zen 4). This is the exp loop every storing softmax path runs.</li>
 *   <li>{@link ExpSum} {@code quadsInRange}: four times, the same loop without the underflow test, for rows whose
 *       min (from {@link MaxReduce#maxAndMin}, the array softmax's max pass) shows that nothing can underflow
 *       (with that cheaper max pass, 6-9% of the whole softmax at 1024 to 128256 floats; the same bits as quads
 *       there).</li>
 *   <li>{@link ExpSumOnly} {@code pairs}: twice, the summing loop of the two-pass path's first pass (the bench's
 *       "softmax4j-two-pass" contender; one loop for both, switched by a null test, was boxed by C2 with four exps per
 *       iteration).</li>
 *   <li>{@link ExpSum} {@code remainder}: once, masked, for the last at most two vectors (in pairs).</li>
 *   <li>{@link RegisterSoftmax}: seven times (once for a row of one vector, twice for two, four for three or four),
 *       for rows of up to four vectors (at most 64 floats) done in registers, from every entry point (segment rows
 *       through a scratch copy).</li>
 *   <li>{@link LogSumExp}: once, a variant (exp scaled by 2^64 and the shift taken exactly) for log-softmax.</li>
 *   <li>{@link SegmentExpSum} (four times in quads, four in quadsInRange), {@link SegmentLogSumExp} (once): the
 *       same loops on memory segments, for the off-heap entry points (a row's last at most 2L elements at a time are
 *       copied to an array and go through ExpSum's remainder). The array loops cannot read a segment, and one
 *       segment loop for both (arrays wrapped by {@code MemorySegment.ofArray}) was measured (JMH,
 *       OffHeapSoftmaxBenchmark's "softmax4j-segment-kernel-on-array", Xeon AVX-512, JDK 25) at about 6 KB allocated
 *       and 7x the time per 1024-float row: JDK 25's Vector API does not intrinsify some loads and stores on
 *       float[]-backed heap segments, so every vector is boxed. Short segment rows are copied to an array and go
 *       through {@link ShortRow}.</li>
 * </ul>
 * {@code VectorScalarTwinsTest} pins each: the stored exps of quads, quadsInRange and remainder bitwise against the
 * scalar kernel at every length around the lane width, the short rows bitwise against a scalar model of their exact
 * split sum (wherever the row lies), and the log-sum against the scalar one; {@code VectorSegmentTwinsTest} pins the
 * segment copies bitwise against the array loops (exps, sums and log-sums alike).
 *
 * <p>Why written out and not a helper method: C2 inlines our own methods only while the compilation is under its
 * node budget (NodeCountInliningCutoff), and a Vector API exp is large in C2's graph. When a kernel loop was inlined
 * into the facade after warm-up on short rows, the exp helper was refused, every vector was boxed, and the softmax
 * ran at 2.5 ns/element instead of 0.57 (256-bit). The JDK's own Vector API methods are force-inlined past the
 * budget, so a loop made only of them stays intact wherever it is compiled. Each method that holds a copy takes and
 * returns only arrays and scalars, so it is never boxed whether or not C2 inlines it. The fused variants (scale, mask,
 * causal rows) add no copy and no switch here: their max pass ({@link MaxReduce#storeScaledPlusMaskAndMax}) stores
 * {@code v = fma(scale, x, mask)} into dst and this exp loop reads it back from L1 (loop-invariant switches here were
 * measured to cost nothing when off, docs/PERFORMANCE.md, but the stored transform needs none).
 *
 * <p>The same budget refuses small JDK methods called late in a large compilation: in {@link RegisterSoftmax}'s two-
 * and four-vector methods {@code Double.isNaN(sum)} was left a real call (PrintInlining: NodeCountInliningCutoff),
 * so every exp vector was spilled to the stack around it and the upper halves cleared (vzeroupper); written as
 * {@code sum != sum} it is one compare. JMH, Zen 4: 256-bit n = 16 from 25.2-27.7 to 21.1-21.4 ns per call, 512-bit
 * n = 64 from 49.1-54.2 to 45.8-46.3. Nothing allocates in either form, so only {@code -XX:+PrintInlining} shows it.
 *
 * <h2>No static final vectors</h2>
 * Each copy broadcasts the polynomial's constants into locals at the top of its method. Held in static final
 * {@code FloatVector}s (as they were), every constant was reloaded from its object on every iteration of a loop
 * that stores: C2 cannot hoist a load from the vector's float[] payload above a store into another float[] (or
 * into native memory), since the two may alias. Broadcast from a scalar constant, the vector is loop-invariant and
 * stays in a register. Those eleven broadcast lines stand at the top of every copy: passing the constants as
 * scalars instead ({@code fma(float, float)}, {@code lanewise(FMA, v, c)}) compiles to the same broadcasts hoisted
 * before the loop, but in the full test suite made C2 box the blends of {@code ExpSum}'s two-exp loop
 * (VectorAllocationTest, 512 bits; the loop is near C2's inlining limits), so they stay written out. Measured
 * (scratch harness, best of 300 rounds, exp + store + sum of 4096 floats, Zen 5, JDK 25): 0.35 to 0.26 ns/element at
 * 256 bits, 0.197 to 0.135 at 512.
 */
package org.softmax4j.vector;
