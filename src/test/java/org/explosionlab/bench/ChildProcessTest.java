package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ChildProcess}'s environment and messages (no process started). */
class ChildProcessTest {
    @Test
    void threadVariablesAreSetOrRemoved() {
        Map<String, String> env = new HashMap<>(Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_CORETYPE", "Haswell", "HOME", "/root"));
        ChildProcess.environment(env, null, Set.of());
        assertFalse(env.containsKey("OMP_NUM_THREADS"));
        assertEquals("Haswell", env.get("OPENBLAS_CORETYPE"));
        ChildProcess.environment(env, 1, Set.of("OPENBLAS_CORETYPE"));
        assertEquals(Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1", "MKL_NUM_THREADS", "1", "HOME", "/root"), env);
    }

    @Test
    void messagesShortenTheClassPathAndTheWrapper() {
        assertEquals("java -Xmx2g -cp target/bench-classes:... Main --child project",
                ChildProcess.shown(List.of("java", "-Xmx2g", "-cp", "target/bench-classes:/a.jar:/b.jar", "Main", "--child", "project")));
        assertEquals("python3 -c 'import a ...' s.py", ChildProcess.shown(List.of("python3", "-c", "import a\nprint(1)", "s.py")));
    }
}
