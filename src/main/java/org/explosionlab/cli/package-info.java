/** The command line (picocli): train, presets, demo, sweep, report — every error one line on stderr and exit code 2. */
package org.explosionlab.cli;
