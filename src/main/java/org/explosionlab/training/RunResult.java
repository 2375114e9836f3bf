package org.explosionlab.training;

import org.explosionlab.monitor.IterationMetrics;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What a finished run hands back to code: the summary written to {@code summary.json}, every recorded
 * iteration, the trained network and where the files are.
 */
public record RunResult(RunSummary summary, List<IterationMetrics> metrics, MultiLayerNetwork network, Path outDir) {
}
