#!/usr/bin/env bash
# Builds the native Adam pass (adam_kernel.c, JNI) into OUT_DIR/native/linux-x86_64/, where
# NativeAdamKernel looks for it on the class path. Run by Maven in the compile phase
# (exec-maven-plugin, see pom.xml) with OUT_DIR = target/classes and JAVA_HOME = the JDK running Maven.
# On anything but Linux x86-64, or without gcc, it builds nothing and says so: the project then uses
# its Java Adam kernels (same results, slower). Rebuilds only when the source is newer than the library.
set -euo pipefail
OUT_DIR=$1
JDK=${2:-${JAVA_HOME:-}}
SRC="$(cd "$(dirname "$0")" && pwd)/adam_kernel.c"
LIB="$OUT_DIR/native/linux-x86_64/libexplosionlab_adam.so"
if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  echo "native Adam kernel not built: only Linux x86-64 is supported (the Java kernels are used)" >&2
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "native Adam kernel not built: gcc not found (apt-get install gcc; the Java kernels are used meanwhile)" >&2
  exit 0
fi
if [ -z "$JDK" ] || [ ! -f "$JDK/include/jni.h" ]; then
  echo "native Adam kernel not built: no jni.h under JAVA_HOME='$JDK' (the Java kernels are used)" >&2
  exit 0
fi
if [ -f "$LIB" ] && [ "$LIB" -nt "$SRC" ] && [ "$LIB" -nt "$0" ]; then exit 0; fi
mkdir -p "$(dirname "$LIB")"
TMP="$LIB.tmp.$$"
# -ffp-contract=off: no fused multiply-add, so the update has the bits of the Java kernels and DL4J's op.
gcc -O2 -fPIC -shared -ffp-contract=off -fno-math-errno -Wall -Werror \
    -I"$JDK/include" -I"$JDK/include/linux" -o "$TMP" "$SRC"
mv -f "$TMP" "$LIB"
