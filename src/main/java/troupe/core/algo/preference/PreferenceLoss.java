package troupe.core.algo.preference;

/** A loss over preference pairs; selected by name through {@link PreferenceLosses}. */
@FunctionalInterface
public interface PreferenceLoss {

    PreferenceLossResult compute(PreferenceBatch batch);
}
