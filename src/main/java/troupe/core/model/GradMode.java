package troupe.core.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch keeps autograd's grad mode per thread, and a new thread starts with it on; DJL only
 * turns it off on the thread that loaded the engine and inside a closed GradientCollector. Actors
 * run engines on pooled dispatcher threads, where an optimizer's in-place update of a parameter
 * would then fail ("a leaf Variable that requires grad is being used in an in-place operation")
 * and plain forwards would record graphs nobody reads. Engines call {@link #offOnThisThread()}
 * at every entry point.
 */
public final class GradMode {
    private GradMode() {}

    public static void offOnThisThread() {
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch if no model did yet (JNI needs it)
        JniUtils.setGradMode(false);
    }
}
