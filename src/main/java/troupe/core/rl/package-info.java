/**
 * The compute behind the pipeline's ports ({@link troupe.core.engine}): a task prompt source, a
 * sampling generator replica, a frozen reference scorer and the learner, all on plain arrays at
 * their edges. The learner's algorithm is picked by name from {@link troupe.core.rl.LearnerAlgorithm#REGISTRY}
 * (policy-gradient, online-dpo, raft, pro, and aliases); every engine runs a step as the same
 * phases — old log-probs → advantages (or pairs, kept samples, ranked groups) → micro-batch losses → backward → optimiser → metrics — over a typed
 * {@code StepInput} per loss mode.
 */
package troupe.core.rl;
