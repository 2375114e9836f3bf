/** The immutable experiment spec: what one run trains, validated when built, read and written as JSON. */
package org.explosionlab.spec;
