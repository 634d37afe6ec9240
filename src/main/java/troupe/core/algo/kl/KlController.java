package troupe.core.algo.kl;

/**
 * Chooses β for the KL term. Immutable: {@link #update} returns the next controller, so an actor
 * can hold it in its state and a checkpoint stores {@link #state()}. Members are registered by
 * name in {@link KlControllers}.
 *
 * <ul>
 *   <li>fixed: β never changes.
 *   <li>adaptive (Ziegler et al. 2019, arXiv 1909.08593): e = clip(KL/KL_target − 1, −0.2, 0.2),
 *       β ← β·(1 + e·n_steps/horizon), n_steps = the batch size (verl, TRL). Example: β = 0.1,
 *       target 6, KL 8, n = 256, horizon 10000 → 0.100512; KL 3 → 0.099488.
 * </ul>
 */
public sealed interface KlController {

    /** Current coefficient β. */
    double beta();

    /** The controller after observing {@code currentKl} on a batch of {@code nSteps} samples. */
    KlController update(double currentKl, long nSteps);

    /** Registry name: fixed or adaptive. */
    String name();

    /** Small serialisable state for checkpoints. */
    default KlControllerState state() {
        return new KlControllerState(name(), beta());
    }

    /** β constant. */
    record Fixed(double beta) implements KlController {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public KlController update(double currentKl, long nSteps) {
            return this;
        }
    }

    /** Ziegler's proportional controller. */
    record Adaptive(double beta, double targetKl, long horizon) implements KlController {

        /** Proportional error is clipped to ±0.2 (Ziegler et al.; verl, TRL). */
        public static final double ERROR_CLIP = 0.2;

        @Override
        public String name() {
            return "adaptive";
        }

        @Override
        public KlController update(double currentKl, long nSteps) {
            if (!Double.isFinite(currentKl)) {
                throw new IllegalArgumentException("currentKl is " + currentKl);
            }
            double error = Math.max(-ERROR_CLIP, Math.min(ERROR_CLIP, currentKl / targetKl - 1.0));
            double multiplier = 1.0 + error * nSteps / horizon;
            return new Adaptive(beta * multiplier, targetKl, horizon);
        }
    }
}
