/** Loads MNIST-like IDX datasets (embedded subset, full MNIST, Fashion-MNIST, any IDX directory) into memory once, with provenance, and iterates them in seeded minibatches. */
package org.explosionlab.data;
