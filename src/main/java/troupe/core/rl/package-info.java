/**
 * The compute behind the pipeline's ports ({@link troupe.core.engine}): a task prompt source, a
 * sampling generator replica, a frozen reference scorer and the RL learner (weighting →
 * advantages → clipped surrogate + KL → AdamW), all on plain arrays at their edges.
 */
package troupe.core.rl;
