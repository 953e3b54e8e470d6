package org.softmax4j.bench;

import java.util.List;
import java.util.Locale;

/** results.csv: every number at full precision, one line per benchmark × parameter combination, for scripts. */
final class Csv {
    private Csv() {
    }

    static String of(List<Measurement> results, DetailTables tables, Roofline roofline) {
        StringBuilder csv = new StringBuilder("family,benchmark,contender,shape,elements,threads,vector_bits,samples,"
                + "median_ns_per_op,mean_ns_per_op,error_ns_per_op_99_9,ns_per_element,elements_per_ns,"
                + "speedup_vs_java_scalar,speedup_vs_jdk_exp,speedup_vs_onnxruntime,roofline_percent,"
                + "alloc_bytes_per_op,gc_alloc_bytes_per_op\n");
        for (Measurement m : results) {
            boolean memory = m.family() == Family.MEMORY;
            csv.append(String.join(",",
                    m.family().name().toLowerCase(Locale.ROOT), m.benchmark(), m.contender(), m.shape(),
                    Long.toString(m.elements()), Integer.toString(m.threads()), m.vectorBits(),
                    Integer.toString(m.samples()), Cells.num(m.median()), Cells.num(m.mean()), Cells.num(m.error()),
                    Cells.num(m.nsPerElement()), Cells.num(m.elementsPerNs()),
                    memory ? "" : Cells.num(tables.speedup(m, Contender.JAVA_SCALAR.id())),
                    memory ? "" : Cells.num(tables.speedup(m, Contenders.JDK_EXP)),
                    memory ? "" : Cells.num(tables.speedup(m, Contenders.ONNXRUNTIME)),
                    roofline == null ? "" : Cells.num(roofline.percent(m)),
                    Cells.num(m.allocBytesPerOp()), Cells.num(m.gcAllocBytesPerOp()))).append('\n');
        }
        return csv.toString();
    }
}
