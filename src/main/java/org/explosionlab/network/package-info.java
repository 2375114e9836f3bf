/** Spec → DL4J: builds the {@code MultiLayerConfiguration} an {@code ExperimentSpec} describes, toggle by toggle. */
package org.explosionlab.network;
