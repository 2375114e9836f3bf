package org.explosionlab.walkthrough;

import java.util.Locale;

/**
 * The options every walkthrough accepts: {@code --max-batches N} (stop each epoch after N minibatches,
 * 0 = whole epochs) and {@code --epochs N}; tests pass small values to run a walkthrough in seconds.
 *
 * @param maxBatches minibatches per epoch, 0 = all
 * @param epochs     epochs per training run
 */
record WalkthroughArgs(int maxBatches, int epochs) {

    static WalkthroughArgs parse(String[] args, int defaultMaxBatches, int defaultEpochs) {
        int maxBatches = defaultMaxBatches;
        int epochs = defaultEpochs;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.equals("--max-batches") && !a.equals("--epochs")) {
                throw new IllegalArgumentException("unknown argument '" + a + "'; walkthroughs take --max-batches N and --epochs N");
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a number, e.g. " + a + " 20");
            int v;
            try {
                v = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " needs a whole number, got '" + args[i] + "'");
            }
            if (a.equals("--max-batches")) {
                if (v < 0) throw new IllegalArgumentException("--max-batches must be >= 0 (0 = whole epochs), got " + v);
                maxBatches = v;
            } else {
                if (v < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + v);
                epochs = v;
            }
        }
        return new WalkthroughArgs(maxBatches, epochs);
    }

    /** "1 epoch" / "2 epochs of at most 20 minibatches", for the printed header. */
    String describe() {
        String e = epochs == 1 ? "1 epoch" : epochs + " epochs";
        return maxBatches == 0 ? e : String.format(Locale.ROOT, "%s of at most %d minibatches", e, maxBatches);
    }
}
