package org.softmax4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every measured number in Markdown, one table per benchmark family and vector width, then the per-call cost of
 * each contender at the shortest row and the allocation check.
 */
final class DetailTables {
    private final List<Measurement> results;
    private final Roofline roofline;

    DetailTables(List<Measurement> results, Roofline roofline) {
        this.results = results;
        this.roofline = roofline;
    }

    String tables() {
        StringBuilder md = new StringBuilder("## Every result\n\n");
        md.append("Median ns per call over all measurement iterations; ns/element = ns/op ÷ elements. "
                + "× columns: speed-up over that contender on the same shape (> 1 is faster). "
                + "B/op: bytes allocated per call by the threads that make the calls (CallAllocationProfiler; "
                + "the CSV also has JMH's gc.alloc.rate.norm, which adds JMH's own per-iteration garbage). ");
        md.append(roofline == null ? "No roofline column: MemoryBandwidthBenchmark was not run.\n" : roofline.legend());
        Family current = null;
        String currentBits = null;
        for (Measurement m : results) {
            if (m.family() == Family.MEMORY) {
                continue;
            }
            if (m.family() != current || !m.vectorBits().equals(currentBits)) {
                current = m.family();
                currentBits = m.vectorBits();
                md.append("\n### ").append(current.title)
                        .append(currentBits.equals("auto") ? "" : " (softmax4j.vectorBits=" + currentBits + ")")
                        .append("\n\n| shape | contender | threads | ns/op | ns/element | elements/ns | × ")
                        .append(current.ratioBaselines()[0]).append(" | × ").append(current.ratioBaselines()[1])
                        .append(" | roofline (12 B/el floor) | B/op |\n"
                                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            }
            md.append("| ").append(m.family() == Family.TRAINING ? m.benchmark() + " " + m.shape() : m.shape())
                    .append(" | ").append(m.contender())
                    .append(" | ").append(m.threads())
                    .append(" | ").append(Cells.fmt(m.median()))
                    .append(" | ").append(Cells.fmt(m.nsPerElement()))
                    .append(" | ").append(Cells.fmt(m.elementsPerNs()))
                    .append(" | ").append(Cells.ratio(speedup(m, m.family().ratioBaselines()[0])))
                    .append(" | ").append(Cells.ratio(speedup(m, m.family().ratioBaselines()[1])))
                    .append(" | ").append(roofline == null ? "–" : roofline.cell(m))
                    .append(" | ").append(Cells.bytes(m.allocBytesPerOp()))
                    .append(" |\n");
        }
        return md.append(perCallCost()).append(allocation()).toString();
    }

    /** How long {@code baseline} takes on m's shape ÷ how long m takes; NaN where it was not measured. */
    double speedup(Measurement m, String baseline) {
        for (Measurement b : results) {
            if (b.contender().equals(baseline) && b.key().equals(m.key())) {
                return b.median() / m.median();
            }
        }
        return Double.NaN;
    }

    /**
     * Fixed cost per call: ns/op at the shortest row minus n × the contender's own ns/element on its largest row of
     * at most 4096, what a short attention row pays on every call (argument checks, dispatch, for ONNX Runtime JNI
     * and the session's run machinery).
     */
    private String perCallCost() {
        long shortest = results.stream().filter(m -> m.family() == Family.SOFTMAX)
                .mapToLong(Measurement::elements).min().orElse(-1);
        if (shortest < 0) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n### Per-call cost at n = " + shortest + "\n\n"
                + "Fixed cost ≈ ns/op at n = " + shortest + " − n × ns/element of the same contender at the reference n "
                + "(its largest measured row of at most 4096). Negative: no fixed cost is measurable.\n\n"
                + "| contender | ns/op at n = " + shortest + " | reference n | fixed cost (ns) | B/op |\n"
                + "|---|---:|---:|---:|---:|\n");
        for (Measurement m : results) {
            if (m.family() != Family.SOFTMAX || m.elements() != shortest) {
                continue;
            }
            Measurement reference = null;
            for (Measurement o : results) {
                if (o.family() == Family.SOFTMAX && o.contender().equals(m.contender()) && o.threads() == m.threads()
                        && o.vectorBits().equals(m.vectorBits()) && o.elements() > shortest && o.elements() <= 4096
                        && (reference == null || o.elements() > reference.elements())) {
                    reference = o;
                }
            }
            md.append("| ").append(m.contender())
                    .append(" | ").append(Cells.fmt(m.median()))
                    .append(" | ").append(reference == null ? "–" : Long.toString(reference.elements()))
                    .append(" | ").append(reference == null ? "–"
                            : Cells.fmt(m.median() - shortest * reference.nsPerElement()))
                    .append(" | ").append(Cells.bytes(m.allocBytesPerOp())).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The Java contenders must not allocate per call; a Vector API kernel that does has boxed its vectors (C2 did not
     * inline it). {@link Measurement#allocates()} draws the line.
     */
    private String allocation() {
        StringBuilder md = new StringBuilder("\n### Allocation check\n\n");
        List<String> offenders = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        boolean measured = false;
        for (Measurement m : results) {
            if (m.family() == Family.MEMORY || m.contender().startsWith(Contenders.ONNXRUNTIME)
                    || (m.family() == Family.SAMPLING && !m.contender().startsWith(Contenders.SOFTMAX4J))
                    || !Double.isFinite(m.allocBytesPerOp())) {
                continue;
            }
            measured = true;
            if (m.allocates()) {
                String line = String.format(Locale.ROOT, "%s %s %s: %s B/op (%.2f B/element)", m.contender(),
                        m.family().name().toLowerCase(Locale.ROOT).replace('_', '-'), m.shape(),
                        Cells.bytes(m.allocBytesPerOp()), m.allocBytesPerOp() / m.elements());
                String why = m.allocationByDesign();
                if (why == null) {
                    offenders.add(line);
                } else {
                    expected.add(line + ", " + why);
                }
            }
        }
        if (!expected.isEmpty()) {
            md.append("Allocating by design (not counted as offenders): ").append(String.join("; ", expected))
                    .append(".\n\n");
        }
        if (!measured) {
            return md.append("No allocation data (run without CallAllocationProfiler).\n").toString();
        }
        if (offenders.isEmpty()) {
            return md.append((expected.isEmpty() ? "Every" : "Every other") + " Java contender allocates ≈ 0 "
                    + "bytes per call (threshold " + Measurement.ZERO_ALLOC_BYTES + " B per call once JMH's worker's "
                    + "1 KB per iteration is taken out). "
                    + "onnxruntime's Java binding (both contenders) allocates name and handle arrays and a Result per "
                    + "call, and the "
                    + "sampling family's sort and PriorityQueue baselines box every index, as their B/op columns "
                    + "show.\n").toString();
        }
        md.append("**Java contenders that allocate per call** (more than " + Measurement.ZERO_ALLOC_BYTES
                + " B per call once JMH's worker's 1 KB per iteration is taken out; usually boxed vectors "
                + "because C2 did not inline a Vector API helper: check with "
                + "`-jvmArgsPrepend \"-XX:+UnlockDiagnosticVMOptions -XX:+PrintInlining\"`):\n\n");
        offenders.forEach(o -> md.append("- ").append(o).append('\n'));
        return md.toString();
    }
}
