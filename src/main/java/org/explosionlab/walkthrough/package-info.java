/** Numbered teaching mains that follow the tutorial step by step (W1 … W6); each returns its results from {@code run(String...)} so tests can check them. */
package org.explosionlab.walkthrough;
