/** Runs several specs one after another and compares them in one table (console, Markdown, CSV). */
package org.explosionlab.sweep;
