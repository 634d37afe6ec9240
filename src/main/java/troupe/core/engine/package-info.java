/**
 * The ports between the actor layer and the compute core: what a Generator, ReferenceKl and
 * Learner actor call, and nothing more. Interfaces and value records only; the model, algorithm
 * and task packages implement them.
 *
 * <p>Threading contract for every port: an actor calls an engine from one thread at a time and
 * never concurrently, so implementations need no locking. Calls may block (model forward passes);
 * the actors run them on a blocking dispatcher. Values crossing a port are plain arrays and
 * records — never an {@code NDArray}, whose memory belongs to a manager a message does not carry.
 */
package troupe.core.engine;
