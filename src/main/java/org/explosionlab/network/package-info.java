/**
 * Spec → DL4J: builds the {@code MultiLayerConfiguration} an {@code ExperimentSpec} describes, toggle by toggle; and
 * Keras ↔ DL4J for the tutorial's model: {@code KerasH5Writer} writes a dense network as a Keras 2 HDF5 file,
 * {@code KerasImport} reads one with DL4J's {@code KerasModelImport} around M2.1's limits.
 */
package org.explosionlab.network;
