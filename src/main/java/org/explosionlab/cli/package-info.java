/**
 * The command line (picocli): train (also {@code --keras FILE.h5}), presets, demo, sweep, report, diagnose — every error
 * one line on stderr and exit code 2; diagnose exits 3 when a finding is severe.
 */
package org.explosionlab.cli;
