/**
 * Before training: {@link org.explosionlab.diagnosis.Diagnosis} inspects a DL4J {@code MultiLayerNetwork} or
 * {@code ComputationGraph} configuration, a few minibatches of its data and one training step taken on a copy, and
 * reports {@link org.explosionlab.diagnosis.Finding}s: a stable {@link org.explosionlab.diagnosis.Check} id, a
 * {@link org.explosionlab.diagnosis.Severity}, the numbers it saw, why they matter (the DL4J issue or document they
 * come from) and the fix, as a DL4J call and, where this project's spec can express it, as a {@code --set}.
 * It sits between the data and monitor packages: it reads DL4J configurations and data iterators only, and the
 * monitor runs it when attached. The machinery (network view, data sample, the checks) is package-private.
 */
package org.explosionlab.diagnosis;
