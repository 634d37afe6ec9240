package troupe.core.task;

/**
 * A supervised example for the base policy: the model learns to emit {@code completion} (then EOS)
 * after {@code prompt}.
 */
public record SftExample(String prompt, String completion) {}
