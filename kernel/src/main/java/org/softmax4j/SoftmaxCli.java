package org.softmax4j;

import java.util.Arrays;

/**
 * {@code scripts/softmax.sh 2 1 0.5 1.5}: prints the softmax (or, with {@code --log}, the log-softmax) of the
 * arguments and the kernel that computed it.
 */
public final class SoftmaxCli {
    private SoftmaxCli() {}

    public static void main(String[] args) {
        boolean log = args.length > 0 && args[0].equals("--log");
        String[] numbers = log ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (numbers.length == 0) {
            System.err.println("usage: softmax [--log] x1 x2 ...   (floats; inf, -inf and NaN allowed)");
            System.exit(2);
        }
        float[] x = new float[numbers.length];
        for (int i = 0; i < x.length; i++) {
            try {
                x[i] = parse(numbers[i]);
            } catch (NumberFormatException e) {
                System.err.println("not a number: " + numbers[i]);
                System.exit(2);
            }
        }
        float[] y = new float[x.length];
        if (log) {
            Softmax.logSoftmax(x, 0, y, 0, x.length);
        } else {
            Softmax.softmax(x, 0, y, 0, x.length);
        }
        System.out.println(Arrays.toString(y));
        System.out.println("implementation: " + Softmax.implementation());
    }

    private static float parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> Float.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Float.NEGATIVE_INFINITY;
            case "nan" -> Float.NaN;
            default -> Float.parseFloat(s);
        };
    }
}
