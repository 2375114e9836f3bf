/**
 * Numbered teaching mains that follow the tutorial step by step in plain DL4J: W1 writes the Keras
 * model as a {@code NeuralNetConfiguration.Builder} chain (and checks it against DL4J's own import of the model saved as Keras HDF5), W2 loads MNIST into minibatches, W3 reads
 * the gradients (DL4J's own and, during a clipped step, the {@code ExplosionMonitor}'s), W4 reproduces
 * the explosion (bad init, high learning rate), W5 applies each remedy, W6 shows the effect of depth.
 * Each {@code main} calls {@code static Result run(String... args)}, which tests call too with
 * {@code --max-batches N}; the configurations equal the presets' and the runs equal the CLI's.
 */
package org.explosionlab.walkthrough;
