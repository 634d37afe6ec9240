package troupe.cluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

/** What a resumed learner that is alone in its cluster says, and when it says nothing. */
class SeedCheckTest {
    private static final Address SELF = new Address("pekko", "troupe", "10.0.0.1", 25520);
    private static final String SELF_SEED = "pekko://troupe@10.0.0.1:25520";
    private static final String REFERENCE_SEED = "pekko://troupe@10.0.0.2:25520";

    @Test
    void aLearnerThatJoinedOthersSaysNothing() {
        assertEquals(Optional.empty(), SeedCheck.warning(5, SELF, List.of(SELF_SEED, REFERENCE_SEED), "local"));
    }

    @Test
    void aLearnerAloneNamesTheSeedsThatDidNotAnswerAndTheFix() {
        String w = SeedCheck.warning(1, SELF, List.of(SELF_SEED, REFERENCE_SEED), "local").orElseThrow();
        assertTrue(w.startsWith("--resume: this learner founded a new cluster; no surviving node answered at its "
                + "other seed nodes [" + REFERENCE_SEED + "]"), w);
        assertTrue(w.contains("Fix: start one of them, or list a long-lived role node"), w);
    }

    @Test
    void aLearnerThatIsItsOwnOnlySeedIsToldToListASecond() {
        String w = SeedCheck.warning(1, SELF, List.of(SELF_SEED), "local").orElseThrow();
        assertTrue(w.contains("pekko.cluster.seed-nodes lists no node but this one (" + SELF_SEED + ")"), w);
        assertTrue(w.contains("Fix: list a long-lived role node (e.g. the reference) as a second seed"), w);
    }

    @Test
    void onKubernetesTheBootstrapIsNamed() {
        String w = SeedCheck.warning(1, SELF, List.of(), "kubernetes").orElseThrow();
        assertTrue(w.contains("Cluster Bootstrap found no surviving pod"), w);
    }
}
