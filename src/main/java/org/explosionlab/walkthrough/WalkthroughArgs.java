package org.explosionlab.walkthrough;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options every walkthrough accepts, parsed by picocli: {@code --max-batches N} (stop each epoch after N
 * minibatches, 0 = whole epochs) and {@code --epochs N}; tests pass small values to run a walkthrough in seconds.
 * Each walkthrough gives its own defaults; a bad argument is an {@link IllegalArgumentException} with one line.
 */
@Command(name = "walkthrough")
final class WalkthroughArgs {
    @Option(names = "--max-batches", paramLabel = "N", description = "minibatches per epoch, 0 = all")
    private int maxBatches;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs per training run")
    private int epochs;

    private WalkthroughArgs(int maxBatches, int epochs) {
        this.maxBatches = maxBatches;
        this.epochs = epochs;
    }

    static WalkthroughArgs parse(String[] args, int defaultMaxBatches, int defaultEpochs) {
        WalkthroughArgs parsed = new WalkthroughArgs(defaultMaxBatches, defaultEpochs);
        try {
            new CommandLine(parsed).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "; walkthroughs take --max-batches N and --epochs N", e);
        }
        if (parsed.maxBatches < 0) {
            throw new IllegalArgumentException("--max-batches must be >= 0 (0 = whole epochs), got " + parsed.maxBatches);
        }
        if (parsed.epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + parsed.epochs);
        return parsed;
    }

    /** Minibatches per epoch, 0 = all. */
    int maxBatches() {
        return maxBatches;
    }

    /** Epochs per training run. */
    int epochs() {
        return epochs;
    }

    /** "1 epoch" / "2 epochs of at most 20 minibatches", for the printed header. */
    String describe() {
        String e = epochs == 1 ? "1 epoch" : epochs + " epochs";
        return maxBatches == 0 ? e : String.format(Locale.ROOT, "%s of at most %d minibatches", e, maxBatches);
    }
}
