/** Speed benchmark: trains the seed model under plain-DL4J and project settings, each in its own JVM, and compares examples/s and peak RSS with a numpy reference. */
package org.explosionlab.bench;
