/**
 * Proof through real user programs: plain DL4J programs written the way dl4j-examples writes them, none of them
 * through this project's {@code Trainer} or {@code NetworkFactory}, and living in their own package so that they
 * can only reach the project's public API ({@code ExplosionMonitor}, {@code ExplosionAssertions}, {@code Remedies},
 * {@code Verdict}, the embedded MNIST). They prove that the monitor, attached the way a user would attach it, (1)
 * survives DL4J's own listener plumbing: {@code setListeners} after {@code attach} removes it, and the verdict then
 * says {@code no_data} rather than {@code healthy}; passed in the same {@code setListeners} call, or kept by
 * {@code addListeners}, it watches the whole run next to {@code ScoreIterationListener} and {@code EvaluativeListener};
 * (2) calls a sane LeNet-style CNN, an LSTM and a two-branch {@code ComputationGraph} healthy when they really
 * learn (checked with {@code evaluate(testIter).accuracy()}), and the same programs with an exploding
 * initialisation or learning rate not healthy, naming the guilty layer DL4J's way ({@code layer 5 (OutputLayer)}
 * by its {@code getLayers()} index, {@code layer "dense" (DenseLayer)} by a graph vertex name); (3) judges
 * explosions on the raw gradient, so a clipping remedy that does not fix the cause does not turn the verdict
 * healthy; (4) copes with a graph of two inputs and two outputs fed with {@code MultiDataSet}s. Every program
 * is seeded (configuration seed and {@code Nd4j.getRandom().setSeed}) and runs on CPU with one OpenMP thread,
 * on a subset of the embedded MNIST, so that its verdict is the same on every run.
 */
package org.explosionlab.monitor.userprograms;
