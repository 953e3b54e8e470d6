package org.softmax4j.bench;

import org.softmax4j.ReferenceSoftmax;
import org.softmax4j.UlpError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accuracy of every contender, per input distribution and row length (see {@link UlpError}):
 * <ul>
 *   <li>contract margin: the softmax accuracy contract ({@link UlpError#softmaxContract}) allows element i an error
 *       of 3 + 2^23 · (ulp(fl(x_i − max)) + Σ_j p_j · ulp(fl(x_j − max))) ulps against the exact softmax p; the cell
 *       is the largest error − allowance over the row, in ulps, so at most 0 where the contract holds (−2: 2 ulps to
 *       spare at the tightest element; an element whose shift is −inf must be exactly 0, else the cell is ∞);</li>
 *   <li>kernel error (information): against {@link ReferenceSoftmax#kernelSoftmax}, exp(fl(x − max)) / Σ in double,
 *       i.e. what the implementation adds beyond the float subtraction every float32 softmax shares;</li>
 *   <li>end-to-end error: against the exact double softmax of the same float inputs;</li>
 *   <li>log-softmax end-to-end error, in ulps of max(|reference|, log Σ exp(x − max)); the bar is 4.</li>
 * </ul>
 * Elements whose reference is below {@code Float.MIN_NORMAL} count by absolute error only. Each error cell is the
 * maximum over the row. The float-sum contenders (jdk-exp, java-scalar, ONNX Runtime) are expected to lose accuracy
 * as n grows and break the contract; that is what these tables are for.
 *
 * <p>Usage: {@code AccuracyReport [--sizes 1024,32000,...] [--contenders a,b,...] [--out accuracy.md]}
 */
public final class AccuracyReport {
    private static final int[] DEFAULT_SIZES = {1024, 32000, 128256, 1 << 20};

    private AccuracyReport() {
    }

    /** Log-softmax bar: ulps of max(|reference|, log Σ). */
    private static final double LOG_ULP_BAR = 4;

    /** Maximum errors of one contender on one row; {@code contractMargin} is the largest error − allowance. */
    record Errors(double contractMargin, double kernelUlp, double endToEndUlp, double logUlp) {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = Report.options(args);
        int[] sizes = options.containsKey("sizes")
                ? Arrays.stream(options.get("sizes").split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray()
                : DEFAULT_SIZES;
        List<Contender> contenders = new ArrayList<>();
        if (options.containsKey("contenders")) {
            for (String id : options.get("contenders").split(",")) {
                contenders.add(Contender.of(id.strip()));
            }
        } else {
            contenders.addAll(Arrays.asList(Contender.values()));
            contenders.remove(Contender.ONNXRUNTIME_FLOAT_ARRAYS);  // the same kernel and bits as "onnxruntime"
        }

        long start = System.nanoTime();
        // distribution -> size -> contender -> errors (null when the contender could not run)
        Map<Inputs.Distribution, Map<Integer, Map<Contender, Errors>>> table = new EnumMap<>(Inputs.Distribution.class);
        Map<Contender, String> failures = new LinkedHashMap<>();
        for (int n : sizes) {
            Map<Contender, SoftmaxRun[]> runs = new EnumMap<>(Contender.class);
            for (Contender c : contenders) {
                try {
                    runs.put(c, new SoftmaxRun[] {c.prepare(Op.SOFTMAX, 1, n), c.prepare(Op.LOG_SOFTMAX, 1, n)});
                } catch (RuntimeException | LinkageError e) {
                    failures.putIfAbsent(c, e.toString());
                }
            }
            float[] y = new float[n];
            for (Inputs.Distribution d : Inputs.Distribution.values()) {
                float[] x = d.sample(n, Inputs.SEED);
                double[] kernelRef = ReferenceSoftmax.kernelSoftmax(x, 0, n);
                double[] exactRef = ReferenceSoftmax.softmax(x, 0, n);
                UlpError.SoftmaxContract contract = UlpError.softmaxContract(x, 0, n, exactRef);
                double[] logRef = ReferenceSoftmax.logSoftmax(x, 0, n);
                double logSum = ReferenceSoftmax.logSumExp(x, 0, n);
                Map<Contender, Errors> row = table.computeIfAbsent(d, k -> new LinkedHashMap<>())
                        .computeIfAbsent(n, k -> new EnumMap<>(Contender.class));
                for (Map.Entry<Contender, SoftmaxRun[]> e : runs.entrySet()) {
                    e.getValue()[0].apply(x, y);
                    double kernel = 0;
                    double endToEnd = 0;
                    double margin = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        kernel = Math.max(kernel, UlpError.ofProbability(y[i], kernelRef[i]));
                        endToEnd = Math.max(endToEnd, UlpError.ofProbability(y[i], exactRef[i]));
                        margin = Math.max(margin, contract.excess(y[i], exactRef[i], x[i]));
                    }
                    e.getValue()[1].apply(x, y);
                    double log = 0;
                    for (int i = 0; i < n; i++) {
                        log = Math.max(log, UlpError.ofLogProbability(y[i], logRef[i], logSum));
                    }
                    row.put(e.getKey(), new Errors(margin, kernel, endToEnd, log));
                }
            }
            for (SoftmaxRun[] r : runs.values()) {
                r[0].close();
                r[1].close();
            }
        }

        String md = markdown(table, contenders, failures, (System.nanoTime() - start) / 1e9);
        System.out.print(md);
        if (options.containsKey("out")) {
            Path out = Path.of(options.get("out"));
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, md);
        }
    }

    /** One table: a header, then a row per distribution and size, one cell per contender ("n/a" if it failed). */
    private static void rows(StringBuilder md, Map<Inputs.Distribution, Map<Integer, Map<Contender, Errors>>> table,
                             List<Contender> contenders, java.util.function.Function<Errors, String> cell) {
        header(md, contenders);
        for (var byDistribution : table.entrySet()) {
            for (var bySize : byDistribution.getValue().entrySet()) {
                md.append("| ").append(byDistribution.getKey().label()).append(" | ").append(bySize.getKey());
                for (Contender c : contenders) {
                    Errors e = bySize.getValue().get(c);
                    md.append(" | ").append(e == null ? "n/a" : cell.apply(e));
                }
                md.append(" |\n");
            }
        }
    }

    private static String markdown(Map<Inputs.Distribution, Map<Integer, Map<Contender, Errors>>> table,
                                   List<Contender> contenders, Map<Contender, String> failures, double seconds) {
        StringBuilder md = new StringBuilder("# Accuracy\n\n");
        md.append("Errors are in ulps of the float-rounded reference, except where the reference is below "
                + "Float.MIN_NORMAL, which counts by absolute error (0 when within MIN_NORMAL). Every cell is the worst "
                + "element of the row; inputs from the fixed seed " + Long.toHexString(Inputs.SEED) + ".\n\n");
        md.append("## Softmax: the accuracy contract (margin: worst error − allowance, ulps; at most 0 to meet it)\n\n");
        md.append("Element i may be 3 + 2^23 · (ulp(fl(x_i − max)) + Σ_j p_j · ulp(fl(x_j − max))) ulps off the exact "
                + "softmax p of the float inputs: 3 ulps beyond the worst case of the float rounding of the shifts "
                + "x − max that every float32 softmax pays. A cell is the largest error − allowance over the row "
                + "(−2.5: the tightest element has 2.5 ulps to spare); ✗ marks a row where the contract fails.\n\n");
        rows(md, table, contenders, e -> margin(e.contractMargin()) + (e.contractMargin() <= 0 ? "" : " ✗"));
        md.append("\n## Softmax: kernel error / end-to-end error (information)\n\n");
        md.append("Kernel error is measured against exp(fl(x − max)) / Σ exp(fl(x − max)) in double (what the "
                + "implementation adds beyond the float subtraction), end-to-end error against the exact softmax of the "
                + "float inputs. Neither is a bar: the contract above is.\n\n");
        rows(md, table, contenders, e -> ulp(e.kernelUlp()) + " / " + ulp(e.endToEndUlp()));
        md.append("\n## Log-softmax (end-to-end, ulps of max(|reference|, log Σ exp(x − max)); bar 4)\n\n");
        rows(md, table, contenders, e -> ulp(e.logUlp()) + (e.logUlp() <= LOG_ULP_BAR ? "" : " ✗"));
        md.append("\nWorst case per contender over every distribution and size (contract margin; softmax end-to-end; "
                + "log-softmax):");
        for (Contender c : contenders) {
            md.append(" ").append(c.id()).append(" ").append(margin(worst(table, c, Errors::contractMargin)))
                    .append(", ").append(ulp(worst(table, c, Errors::endToEndUlp))).append(" ulp, ")
                    .append(ulp(worst(table, c, Errors::logUlp))).append(" ulp;");
        }
        md.setLength(md.length() - 1);
        md.append(".\n");
        for (Map.Entry<Contender, String> f : failures.entrySet()) {
            md.append("\n").append(f.getKey().id()).append(" could not run: ").append(f.getValue()).append("\n");
        }
        md.append(String.format(Locale.ROOT, "%n(Computed in %.1f s.)%n", seconds));
        return md.toString();
    }

    private static double worst(Map<Inputs.Distribution, Map<Integer, Map<Contender, Errors>>> table, Contender c,
                                java.util.function.ToDoubleFunction<Errors> figure) {
        return table.values().stream().flatMap(m -> m.values().stream())
                .map(m -> m.get(c)).filter(java.util.Objects::nonNull)
                .mapToDouble(figure).max().orElse(Double.NaN);
    }

    /** A contract margin in ulps, signed: "−2.31" (within), "+480" (past the allowance). */
    private static String margin(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "+∞" : "−∞";
        }
        String digits = ulp(Math.abs(v));
        return (v > 0 ? "+" : v < 0 ? "−" : "") + digits;
    }

    private static void header(StringBuilder md, List<Contender> contenders) {
        md.append("| distribution | n |");
        for (Contender c : contenders) {
            md.append(' ').append(c.id()).append(" |");
        }
        md.append("\n|---|---:|");
        md.append("---:|".repeat(contenders.size()));
        md.append('\n');
    }

    private static String ulp(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : "∞";
        }
        String pattern = v >= 1e4 ? "%.3g" : v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
