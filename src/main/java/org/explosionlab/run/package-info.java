/**
 * A run directory's whole life: created or refused ({@link org.explosionlab.run.RunDirectory}), locked
 * ({@link org.explosionlab.run.RunLock}), the files a run writes and nothing else ({@link org.explosionlab.run.RunFiles}),
 * written atomically ({@link org.explosionlab.run.AtomicFiles}), what a training run writes and reads back to resume
 * ({@link org.explosionlab.run.RunOutput}, {@link org.explosionlab.run.Checkpoint}, {@link org.explosionlab.run.ModelZip}),
 * a sweep point's status ({@link org.explosionlab.run.PointStatus}). Training, sweeps, report and the CLI ask it; it
 * imports none of them.
 */
package org.explosionlab.run;
