package troupe.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

/** The PyTorch engine loads from the Maven-shipped natives with DJL forced offline. */
class DjlOfflineTest {

    @Test
    void pytorchEngineLoadsFromBundledNativesWhileOffline() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "surefire must force DJL offline");
        assertEquals("true", System.getenv("OPT_OUT_TRACKING"), "surefire must opt out of tracking");
        assertTrue(Utils.isOfflineMode(), "DJL must consider itself offline");

        Engine engine = Engine.getEngine("PyTorch");
        // 2.7.1 is the version of the pytorch-native-cpu artifact on the classpath: had DJL
        // fetched a libtorch of its own, offline mode would have failed engine start-up.
        assertEquals("2.7.1", engine.getVersion());

        try (NDManager manager = engine.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray());
        }
    }
}
