package org.softmax4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The table a reader looks at first: per softmax shape, each contender's median ns/element, softmax4j's speed-up over
 * ONNX Runtime (in place: the session run alone) and over {@code jdk-exp}, ONNX Runtime with its fixed per-call cost
 * taken out, and issue 6's targets checked for softmax4j. Contenders are whatever the run measured; only the ratio
 * columns name ids.
 */
final class Headline {
    /** Shapes where issue 6 asks for 1.25× ONNX Runtime rather than 1.0×. */
    private static final Set<String> ORT_125 = Set.of("32000", "32x1024", "64x32000");
    /** Rows up to this many floats per row live in the per-core caches (issue 6's "in cache"). */
    private static final long IN_CACHE_MAX = 128256;
    private static final long IN_CACHE_MIN = 256;
    private static final double N16_MAX_NS = 25;

    private final List<Measurement> results;
    private final List<String> failures = new ArrayList<>();
    private int checked;
    private String table;

    Headline(List<Measurement> results) {
        this.results = results;
    }

    /** The table and the targets summary; built once, since checking the targets counts them. */
    String table() {
        if (table == null) {
            table = build();
        }
        return table;
    }

    private String build() {
        StringBuilder md = new StringBuilder("## Headline: softmax, ns per element (median)\n\n");
        List<Measurement> softmax = results.stream().filter(m -> m.family().isSoftmax()).toList();
        if (softmax.isEmpty()) {
            return md.append("No softmax results in this run.\n").toString();
        }
        List<String> contenders = softmax.stream().map(Measurement::contender).distinct().sorted(Contenders.ORDER)
                .toList();
        double fixed = ortFixedCost();
        md.append("× columns: softmax4j's speed-up (the other's time ÷ softmax4j's; > 1 is faster). ");
        if (Double.isFinite(fixed)) {
            md.append(String.format(Locale.ROOT, "onnxruntime's fixed per-call cost (JNI, session run, Result object) "
                    + "≈ **%s ns**, its ns/op at the shortest row, where the softmax itself is a few ns; the "
                    + "\"onnxruntime − fixed\" column takes it out of every call. ", Cells.fmt(fixed)));
        }
        if (contenders.contains(Contenders.ONNXRUNTIME)) {
            md.append("onnxruntime works on rows already in its input tensor and leaves the result in its output "
                    + "tensor (the session run alone, no copies); onnxruntime-float-arrays adds the copies from and to "
                    + "float[] that a caller holding arrays pays. ");
        }
        md.append("Targets (issue 6) are checked for softmax4j against onnxruntime: ✓ met, ✗ missed.\n\n| shape |");
        contenders.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append(" onnxruntime − fixed | × onnxruntime | × jdk-exp | softmax4j B/op | targets |\n|---|");
        md.append("---:|".repeat(contenders.size() + 4)).append("---|\n");

        Map<String, Map<String, Measurement>> byShape = new LinkedHashMap<>();
        for (Measurement m : softmax) {
            byShape.computeIfAbsent(m.key(), k -> new LinkedHashMap<>()).put(m.contender(), m);
        }
        for (Map<String, Measurement> row : byShape.values()) {
            Measurement any = row.values().iterator().next();
            Measurement s4j = row.get(Contenders.SOFTMAX4J);
            Measurement ort = row.get(Contenders.ONNXRUNTIME);
            Measurement jdk = row.get(Contenders.JDK_EXP);
            md.append("| ").append(label(any));
            for (String c : contenders) {
                md.append(" | ").append(row.containsKey(c) ? Cells.fmt(row.get(c).nsPerElement()) : "–");
            }
            md.append(" | ").append(ort == null || !Double.isFinite(fixed) ? "–"
                    : Cells.fmt(Math.max(0, ort.median() - fixed) / ort.elements()));
            double vsOrt = speedup(s4j, ort);
            double vsJdk = speedup(s4j, jdk);
            md.append(" | ").append(Cells.ratio(vsOrt)).append(" | ").append(Cells.ratio(vsJdk))
                    .append(" | ").append(s4j == null ? "–" : Cells.bytes(s4j.allocBytesPerOp()))
                    .append(" | ").append(s4j == null ? "softmax4j not measured" : targets(s4j, vsOrt, vsJdk))
                    .append(" |\n");
        }
        md.append('\n').append(summary());
        return md.toString();
    }

    /** ONNX Runtime's ns/op at its shortest single row (≤ 64 floats): JNI and session cost, next to no softmax. */
    double ortFixedCost() {
        return results.stream()
                .filter(m -> m.family() == Family.SOFTMAX && m.contender().equals(Contenders.ONNXRUNTIME)
                        && m.elements() <= 64)
                .min((a, b) -> Long.compare(a.elements(), b.elements()))
                .map(Measurement::median).orElse(Double.NaN);
    }

    private String targets(Measurement s4j, double vsOrt, double vsJdk) {
        long n = columns(s4j);
        boolean batch = s4j.family() == Family.ROWS;
        boolean inCache = batch || (n >= IN_CACHE_MIN && n <= IN_CACHE_MAX);
        boolean beyond = !batch && n > IN_CACHE_MAX;
        List<String> cells = new ArrayList<>();
        if (inCache || beyond) {
            double want = ORT_125.contains(s4j.shape()) ? 1.25 : 1.0;
            cells.add(check(s4j, "onnxruntime ≥ " + want + "×", vsOrt, vsOrt >= want));
        }
        double wantJdk = inCache && n >= 1024 ? 1.5 : 1.0;
        cells.add(check(s4j, "jdk-exp ≥ " + wantJdk + "×", vsJdk, vsJdk >= wantJdk));
        if (!batch && n == 16) {
            cells.add(check(s4j, "≤ 25 ns/call (" + Cells.fmt(s4j.median()) + ")", s4j.median(),
                    s4j.median() <= N16_MAX_NS));
        }
        if (Double.isFinite(s4j.allocBytesPerOp()) && s4j.allocationByDesign() == null) {
            cells.add(check(s4j, "0 B/op", s4j.allocBytesPerOp(), !s4j.allocates()));
        }
        return String.join(" · ", cells);
    }

    private String check(Measurement s4j, String what, double value, boolean met) {
        if (!Double.isFinite(value)) {
            return what + " ?";
        }
        checked++;
        if (!met) {
            failures.add(label(s4j) + ": " + what);
        }
        return what + (met ? " ✓" : " ✗");
    }

    private String summary() {
        if (checked == 0) {
            return "No target could be checked (softmax4j, onnxruntime or jdk-exp missing from this run).\n";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "softmax4j meets **%d of %d** checked targets "
                + "in this run.", checked - failures.size(), checked));
        if (!failures.isEmpty()) {
            s.append(" Missed: ").append(String.join("; ", failures)).append('.');
        }
        return s.append('\n').toString();
    }

    private static double speedup(Measurement s4j, Measurement other) {
        return s4j == null || other == null ? Double.NaN : other.median() / s4j.median();
    }

    private static long columns(Measurement m) {
        String[] rc = m.shape().split("x");
        return Long.parseLong(rc[rc.length - 1]);
    }

    private static String label(Measurement m) {
        String shape = m.family() == Family.ROWS ? m.shape() : "n = " + m.shape();
        return shape + (m.vectorBits().equals("auto") ? "" : " (" + m.vectorBits() + " bits)")
                + (m.threads() == 1 ? "" : " (" + m.threads() + " threads)");
    }
}
