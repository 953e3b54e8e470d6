package org.softmax4j.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one JMH JSON result file into the published artefacts: {@code results.csv} (every number, for scripts),
 * {@code report.md} (the tables people read) and {@code throughput.png} (elements per ns against row length, one
 * line per contender, with the memory roofline). Times are the median of all measurement iterations of all forks:
 * these machines are shared, and one disturbed iteration should not move a published number. The CSV keeps JMH's
 * mean and 99.9% error as well.
 *
 * <p>Roofline: a two-pass softmax must read x (pass 1: max, or max and sum online) and then read x and write y
 * (pass 2): 12 bytes per element. The read-only benchmark gives the cost of moving 4 bytes one way, the copy
 * benchmark the cost of reading 4 and writing 4, so the floor is {@code read ns/element + copy ns/element}, and a
 * contender's roofline % is {@code floor / its ns/element}. The floor is measured over 16M floats, so the markdown
 * shows the percentage only for rows of 1M floats and more; cache-resident rows can and should beat it.
 *
 * <p>Usage: {@code Report --json jmh.json --out DIR [--env environment.txt] [--accuracy accuracy.md] [--command TEXT]}
 */
public final class Report {
    private static final String BASELINE_SCALAR = Contender.JAVA_SCALAR.id();
    private static final String BASELINE_VECTOR = Contender.JDK_EXP.id();
    private static final long ROOFLINE_BYTES_PER_ELEMENT = 12;
    /** 1M floats: 4 MiB in + 4 MiB out, past any per-core L2 of today. */
    private static final long ROOFLINE_MIN_ELEMENTS = 1 << 20;

    enum Family {
        SOFTMAX("Softmax, one row of n floats"),
        ROWS("Softmax over a batch of rows (rows x cols)"),
        LOG_SOFTMAX("Log-softmax, one row of n floats"),
        MEMORY("Memory bandwidth reference (single thread)");

        final String title;

        Family(String title) {
            this.title = title;
        }

        static Family of(String benchmarkClass) {
            return switch (benchmarkClass) {
                case "RowSoftmaxBenchmark" -> SOFTMAX;
                case "BatchSoftmaxBenchmark" -> ROWS;
                case "LogSoftmaxBenchmark" -> LOG_SOFTMAX;
                case "MemoryBandwidthBenchmark" -> MEMORY;
                default -> null;
            };
        }
    }

    /** One benchmark result. {@code contender} is the method ("read", "copy") for the memory family. */
    record Result(Family family, String benchmark, String contender, String shape, long elements, int threads,
                  String vectorBits, int samples, double median, double mean, double error, double allocBytesPerOp) {
        double nsPerElement() {
            return median / elements;
        }

        double elementsPerNs() {
            return elements / median;
        }

        String key() {
            return family + "|" + shape + "|" + threads + "|" + vectorBits;
        }
    }

    /** The measured memory floor; absent when the run had no memory benchmarks. */
    record Roofline(double readNsPerElement, double copyNsPerElement, long elements) {
        double nsPerElement() {
            return readNsPerElement + copyNsPerElement;
        }

        double readGBs() {
            return Float.BYTES / readNsPerElement;
        }

        double copyGBs() {
            return 2.0 * Float.BYTES / copyNsPerElement;
        }
    }

    private final List<Result> results;
    private final Roofline roofline;
    private final long lastLevelCacheBytes;

    Report(List<Result> results, long lastLevelCacheBytes) {
        this.results = results;
        this.roofline = roofline(results);
        this.lastLevelCacheBytes = lastLevelCacheBytes;
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> options = options(args);
        Path json = Path.of(required(options, "json"));
        Path out = Path.of(required(options, "out"));
        Files.createDirectories(out);

        Report report = new Report(parse(Files.readString(json)), lastLevelCacheBytes());
        if (report.results.isEmpty()) {
            throw new IllegalStateException("no benchmark results in " + json);
        }
        StringBuilder md = new StringBuilder();
        md.append("# softmax4j benchmark results\n\n");
        if (options.containsKey("env")) {
            md.append("## Environment\n\n```\n").append(Files.readString(Path.of(options.get("env"))).strip())
                    .append("\n```\n\n");
        }
        if (options.containsKey("command")) {
            md.append("Command: `").append(options.get("command")).append("`\n\n");
            if (options.get("command").contains("--smoke")) {
                md.append("**Smoke run: one short iteration without warm-up, to prove every benchmark runs. "
                        + "These numbers measure the interpreter and C1, not the contenders; do not quote them.**\n\n");
            }
        }
        String tables = report.tables();
        md.append(tables);
        if (options.containsKey("accuracy") && Files.exists(Path.of(options.get("accuracy")))) {
            // One heading level down, so the accuracy report nests under this one.
            md.append("\n").append(Files.readString(Path.of(options.get("accuracy"))).replaceAll("(?m)^#", "##"));
        }
        Files.writeString(out.resolve("report.md"), md);
        Files.writeString(out.resolve("results.csv"), report.csv());
        Path png = out.resolve("throughput.png");
        boolean plotted = report.plot(png);

        System.out.print(tables);
        System.out.println("Wrote " + out.resolve("report.md") + ", " + out.resolve("results.csv")
                + (plotted ? ", " + png : " (no plot: no single-row softmax results)"));
    }

    // ---------------------------------------------------------------- parsing

    static List<Result> parse(String jsonText) {
        List<Result> results = new ArrayList<>();
        for (Object o : Json.array(Json.parse(jsonText))) {
            Map<String, Object> run = Json.object(o);
            String benchmark = String.valueOf(run.get("benchmark"));
            String[] parts = benchmark.split("\\.");
            if (parts.length < 2) {
                continue;
            }
            String method = parts[parts.length - 1];
            Family family = Family.of(parts[parts.length - 2]);
            if (family == null) {
                continue;
            }
            Map<String, Object> params = Json.object(run.get("params"));
            int threads = params.containsKey("threads") ? (int) Json.number(params.get("threads")) : 1;
            String contender;
            String shape;
            long elements;
            switch (family) {
                case SOFTMAX -> {
                    contender = String.valueOf(params.get("contender"));
                    elements = Long.parseLong(String.valueOf(params.get("n")));
                    shape = Long.toString(elements);
                }
                case LOG_SOFTMAX -> {
                    contender = String.valueOf(params.get("contender"));
                    elements = Long.parseLong(String.valueOf(params.get("logN")));
                    shape = Long.toString(elements);
                }
                case ROWS -> {
                    contender = String.valueOf(params.get("contender"));
                    shape = String.valueOf(params.get("shape"));
                    String[] rc = shape.split("x");
                    elements = Long.parseLong(rc[0]) * Long.parseLong(rc[1]);
                }
                default -> {
                    contender = method;
                    elements = Long.parseLong(String.valueOf(params.get("elements")));
                    shape = Long.toString(elements);
                }
            }
            Map<String, Object> primary = Json.object(run.get("primaryMetric"));
            if (!"ns/op".equals(primary.get("scoreUnit"))) {
                throw new IllegalStateException(benchmark + " reports " + primary.get("scoreUnit") + ", expected ns/op");
            }
            double[] samples = Json.array(primary.get("rawData")).stream()
                    .flatMap(fork -> Json.array(fork).stream())
                    .mapToDouble(Json::number)
                    .filter(Double::isFinite)
                    .sorted()
                    .toArray();
            double mean = Json.number(primary.get("score"));
            double median = samples.length == 0 ? mean : median(samples);
            double alloc = Double.NaN;
            for (Map.Entry<String, Object> e : Json.object(run.get("secondaryMetrics")).entrySet()) {
                // JMH 1.37 names it "gc.alloc.rate.norm"; older versions prefix a middle dot.
                if (e.getKey().replace("\u00b7", "").equals("gc.alloc.rate.norm")) {
                    alloc = Json.number(Json.object(e.getValue()).get("score"));
                }
            }
            results.add(new Result(family, method, contender, shape, elements, threads, vectorBits(run),
                    samples.length, median, mean, Json.number(primary.get("scoreError")), alloc));
        }
        Map<String, Integer> contenderOrder = new HashMap<>();
        for (Contender c : Contender.values()) {
            contenderOrder.put(c.id(), c.ordinal());
        }
        results.sort(Comparator.comparing(Result::family)
                .thenComparing(Result::vectorBits)
                .thenComparingInt(Result::threads)
                .thenComparingLong(Result::elements)
                .thenComparing(Result::shape)
                .thenComparingInt(r -> contenderOrder.getOrDefault(r.contender(), 100))
                .thenComparing(Result::contender));
        return results;
    }

    private static String vectorBits(Map<String, Object> run) {
        for (Object arg : Json.array(run.get("jvmArgs"))) {
            String s = String.valueOf(arg);
            if (s.startsWith("-Dsoftmax4j.vectorBits=")) {
                return s.substring("-Dsoftmax4j.vectorBits=".length());
            }
        }
        return "auto";
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static Roofline roofline(List<Result> results) {
        Result read = null;
        Result copy = null;
        for (Result r : results) {
            if (r.family() == Family.MEMORY && r.contender().equals("read")
                    && (read == null || r.elements() > read.elements())) {
                read = r;
            }
            if (r.family() == Family.MEMORY && r.contender().equals("copy")
                    && (copy == null || r.elements() > copy.elements())) {
                copy = r;
            }
        }
        return read == null || copy == null ? null : new Roofline(read.nsPerElement(), copy.nsPerElement(), Math.min(read.elements(), copy.elements()));
    }

    // ---------------------------------------------------------------- derived numbers

    private double speedup(Result r, String baseline) {
        for (Result b : results) {
            if (b.contender().equals(baseline) && b.key().equals(r.key())) {
                return b.median() / r.median();
            }
        }
        return Double.NaN;
    }

    /**
     * Percent of the two-pass floor reached, or NaN where nothing was measured. In the markdown it is shown only from
     * {@link #ROOFLINE_MIN_ELEMENTS} on: smaller rows live in L1/L2 and beat a memory floor by design.
     */
    private double rooflinePercent(Result r, boolean anySize) {
        if (roofline == null || r.family() == Family.MEMORY) {
            return Double.NaN;
        }
        if (!anySize && r.elements() < ROOFLINE_MIN_ELEMENTS) {
            return Double.NaN;
        }
        return 100.0 * roofline.nsPerElement() / r.nsPerElement();
    }

    // ---------------------------------------------------------------- markdown

    String tables() {
        StringBuilder md = new StringBuilder();
        md.append("## Throughput\n\n");
        md.append("Median ns per call over all measurement iterations; ns/element = ns/op ÷ elements. "
                + "× columns: speed-up over that contender on the same shape (> 1 is faster). "
                + "Roofline %: the two-pass memory floor measured below (at the memory benchmark's size) ÷ the "
                + "contender's ns/element; shown from n = 1M on, where rows no longer fit in per-core caches"
                + (lastLevelCacheBytes > 0 ? " (last-level cache here: " + lastLevelCacheBytes / 1024 + " KiB, shared)" : "")
                + "; the CSV has it for every shape. B/op: bytes allocated per call (JMH -prof gc, gc.alloc.rate.norm).\n\n");
        Family current = null;
        String currentBits = null;
        for (Result r : results) {
            if (r.family() == Family.MEMORY) {
                continue;
            }
            if (r.family() != current || !r.vectorBits().equals(currentBits)) {
                current = r.family();
                currentBits = r.vectorBits();
                md.append("\n### ").append(current.title);
                if (!currentBits.equals("auto")) {
                    md.append(" (softmax4j.vectorBits=").append(currentBits).append(")");
                }
                md.append("\n\n| shape | contender | threads | ns/op | ns/element | elements/ns | × java-scalar | × jdk-exp "
                        + "| roofline % | B/op |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            }
            md.append("| ").append(r.shape())
                    .append(" | ").append(r.contender())
                    .append(" | ").append(r.threads())
                    .append(" | ").append(fmt(r.median()))
                    .append(" | ").append(fmt(r.nsPerElement()))
                    .append(" | ").append(fmt(r.elementsPerNs()))
                    .append(" | ").append(ratio(speedup(r, BASELINE_SCALAR)))
                    .append(" | ").append(ratio(speedup(r, BASELINE_VECTOR)))
                    .append(" | ").append(percent(rooflinePercent(r, false)))
                    .append(" | ").append(bytes(r.allocBytesPerOp()))
                    .append(" |\n");
        }
        md.append(overhead());
        md.append(allocation());
        md.append(memory());
        return md.toString();
    }

    /** Per-call cost at the smallest row, and its fixed part estimated against the contender's own 4096 row. */
    private String overhead() {
        long smallest = results.stream().filter(r -> r.family() == Family.SOFTMAX)
                .mapToLong(Result::elements).min().orElse(-1);
        if (smallest < 0) {
            return "";
        }
        StringBuilder md = new StringBuilder();
        md.append("\n### Per-call cost at n = ").append(smallest).append("\n\n")
                .append("Fixed cost ≈ ns/op at n = ").append(smallest)
                .append(" − n × ns/element of the same contender on its largest measured row of at most 4096 "
                        + "(the reference n). It is what a short attention row pays on every call: argument checks, "
                        + "dispatch, and for ONNX Runtime JNI and session machinery. A negative estimate means no "
                        + "fixed cost is measurable (the short row simply runs faster per element).\n\n")
                .append("| contender | threads | ns/op at n = ").append(smallest)
                .append(" | reference n | fixed cost (ns) | B/op |\n|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            if (r.family() != Family.SOFTMAX || r.elements() != smallest) {
                continue;
            }
            Result reference = null;
            for (Result o : results) {
                if (o.family() == Family.SOFTMAX && o.contender().equals(r.contender()) && o.threads() == r.threads()
                        && o.vectorBits().equals(r.vectorBits()) && o.elements() > smallest && o.elements() <= 4096
                        && (reference == null || o.elements() > reference.elements())) {
                    reference = o;
                }
            }
            double fixed = reference == null ? Double.NaN : r.median() - smallest * reference.nsPerElement();
            md.append("| ").append(r.contender()).append(" | ").append(r.threads())
                    .append(" | ").append(fmt(r.median()))
                    .append(" | ").append(reference == null ? "–" : Long.toString(reference.elements()))
                    .append(" | ").append(reference == null ? "–" : fmt(fixed))
                    .append(" | ").append(bytes(r.allocBytesPerOp())).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The Java contenders must not allocate per call; a Vector API kernel that does has boxed its vectors (C2 did not
     * inline it). The threshold leaves room for JMH's own per-iteration allocation spread over few calls.
     */
    private String allocation() {
        StringBuilder md = new StringBuilder("\n### Allocation check\n\n");
        List<String> offenders = new ArrayList<>();
        boolean measured = false;
        for (Result r : results) {
            if (r.family() == Family.MEMORY || r.contender().equals(Contender.ONNXRUNTIME.id())) {
                continue;
            }
            if (Double.isFinite(r.allocBytesPerOp())) {
                measured = true;
                if (r.allocBytesPerOp() > 64 + 0.05 * r.elements()) {
                    offenders.add(r.contender() + " " + r.family().name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + r.shape()
                            + ": " + bytes(r.allocBytesPerOp()) + " B/op ("
                            + String.format(Locale.ROOT, "%.2f", r.allocBytesPerOp() / r.elements()) + " B/element)");
                }
            }
        }
        if (!measured) {
            return md.append("No allocation data (run without -prof gc).\n").toString();
        }
        if (offenders.isEmpty()) {
            return md.append("Every Java contender allocates ≈ 0 bytes per call (threshold 64 B + 0.05 B/element). "
                    + "onnxruntime's Java binding allocates its Result per call, as shown in the B/op column.\n").toString();
        }
        md.append("**Java contenders that allocate per call** (more than 64 B + 0.05 B/element; usually boxed vectors "
                + "because C2 did not inline a Vector API helper: check with "
                + "`-jvmArgsPrepend \"-XX:+UnlockDiagnosticVMOptions -XX:+PrintInlining\"`):\n\n");
        for (String o : offenders) {
            md.append("- ").append(o).append('\n');
        }
        return md.toString();
    }

    private String memory() {
        StringBuilder md = new StringBuilder();
        md.append("\n### ").append(Family.MEMORY.title).append("\n\n");
        if (roofline == null) {
            return md.append("Not measured in this run (MemoryBandwidthBenchmark was filtered out), "
                    + "so no roofline column.\n").toString();
        }
        md.append("| pass | floats | ns/op | ns/element | GB/s | B/op |\n|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            if (r.family() == Family.MEMORY) {
                double gbs = (r.contender().equals("copy") ? 8.0 : 4.0) / r.nsPerElement();
                md.append("| ").append(r.contender().equals("copy") ? "copy (read 4 B + write 4 B)" : "read (4 B)")
                        .append(" | ").append(r.elements())
                        .append(" | ").append(fmt(r.median()))
                        .append(" | ").append(fmt(r.nsPerElement()))
                        .append(" | ").append(String.format(Locale.ROOT, "%.1f", gbs))
                        .append(" | ").append(bytes(r.allocBytesPerOp())).append(" |\n");
            }
        }
        md.append(String.format(Locale.ROOT, "%nTwo-pass softmax floor (%d B/element: read x; read x + write y) = "
                        + "read ns/element + copy ns/element = %.3f + %.3f = **%.3f ns/element** "
                        + "(%.2f elements/ns; read %.1f GB/s, copy %.1f GB/s).%n",
                ROOFLINE_BYTES_PER_ELEMENT, roofline.readNsPerElement(), roofline.copyNsPerElement(),
                roofline.nsPerElement(), 1 / roofline.nsPerElement(), roofline.readGBs(), roofline.copyGBs()));
        return md.toString();
    }

    // ---------------------------------------------------------------- CSV

    String csv() {
        StringBuilder csv = new StringBuilder("family,benchmark,contender,shape,elements,threads,vector_bits,samples,"
                + "median_ns_per_op,mean_ns_per_op,error_ns_per_op_99_9,ns_per_element,elements_per_ns,"
                + "speedup_vs_java_scalar,speedup_vs_jdk_exp,roofline_percent,alloc_bytes_per_op\n");
        for (Result r : results) {
            csv.append(String.join(",",
                    r.family().name().toLowerCase(Locale.ROOT), r.benchmark(), r.contender(), r.shape(),
                    Long.toString(r.elements()), Integer.toString(r.threads()), r.vectorBits(),
                    Integer.toString(r.samples()), num(r.median()), num(r.mean()), num(r.error()),
                    num(r.nsPerElement()), num(r.elementsPerNs()),
                    r.family() == Family.MEMORY ? "" : num(speedup(r, BASELINE_SCALAR)),
                    r.family() == Family.MEMORY ? "" : num(speedup(r, BASELINE_VECTOR)),
                    num(rooflinePercent(r, true)), num(r.allocBytesPerOp()))).append('\n');
        }
        return csv.toString();
    }

    // ---------------------------------------------------------------- plot

    boolean plot(Path png) throws IOException {
        Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();
        String bits = null;
        int threads = 0;
        for (Result r : results) {
            if (r.family() != Family.SOFTMAX) {
                continue;
            }
            if (bits == null) {
                bits = r.vectorBits();
                threads = r.threads();
            }
            if (r.threads() == threads && r.vectorBits().equals(bits)) {
                series.computeIfAbsent(r.contender(), k -> new TreeMap<>()).put(r.elements(), r.elementsPerNs());
            }
        }
        if (series.isEmpty()) {
            return false;
        }
        XYChart chart = new XYChartBuilder().width(1100).height(650)
                .title("softmax throughput, one row" + (threads == 1 ? ", single thread" : ", threads=" + threads)
                        + ("auto".equals(bits) ? "" : ", softmax4j.vectorBits=" + bits))
                .xAxisTitle("row length n (floats, log scale)")
                .yAxisTitle("elements per ns (higher is better)")
                .build();
        var styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setYAxisDecimalPattern("0.00");
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setPlotGridLinesVisible(true);
        styler.setMarkerSize(7);
        styler.setXAxisDecimalPattern("#,###");
        styler.setYAxisMin(0.0);
        long minN = Long.MAX_VALUE;
        long maxN = 0;
        for (Map.Entry<String, TreeMap<Long, Double>> e : series.entrySet()) {
            double[] x = e.getValue().keySet().stream().mapToDouble(Long::doubleValue).toArray();
            double[] y = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            chart.addSeries(e.getKey(), x, y);
            minN = Math.min(minN, e.getValue().firstKey());
            maxN = Math.max(maxN, e.getValue().lastKey());
        }
        if (roofline != null) {
            double level = 1 / roofline.nsPerElement();
            XYSeries floor = chart.addSeries(String.format(Locale.ROOT, "two-pass memory roofline at n = %,d (%.2f el/ns)",
                    roofline.elements(), level),
                    new double[] {minN, maxN}, new double[] {level, level});
            floor.setLineStyle(SeriesLines.DASH_DASH);
            floor.setMarker(SeriesMarkers.NONE);
            floor.setLineColor(java.awt.Color.GRAY);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    // ---------------------------------------------------------------- helpers

    /** Last-level cache size of cpu0 from sysfs (Linux), or 0 when unknown. */
    static long lastLevelCacheBytes() {
        long best = 0;
        int bestLevel = -1;
        for (int i = 0; i < 8; i++) {
            Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + i);
            try {
                int level = Integer.parseInt(Files.readString(dir.resolve("level")).strip());
                String size = Files.readString(dir.resolve("size")).strip().toUpperCase(Locale.ROOT);
                long multiplier = size.endsWith("K") ? 1024 : size.endsWith("M") ? 1024 * 1024 : 1;
                long bytes = Long.parseLong(size.replaceAll("[^0-9]", "")) * multiplier;
                if (level > bestLevel) {
                    bestLevel = level;
                    best = bytes;
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux, or no such cache index: keep what we have.
            }
        }
        return best;
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        double a = Math.abs(v);
        String pattern = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : a >= 0.01 ? "%.3f" : "%.2e";
        return String.format(Locale.ROOT, pattern, v);
    }

    private static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f×", v) : "–";
    }

    private static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", v) : "–";
    }

    private static String bytes(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
