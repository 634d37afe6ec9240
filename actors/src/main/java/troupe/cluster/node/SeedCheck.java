package troupe.cluster.node;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a resumed learner node is Up: if it is the cluster's only member, it founded a new
 * cluster instead of joining the one its role nodes still form, and they would wait for a learner
 * forever with nothing in either log. Pekko's first seed node joins itself when no other seed
 * answers within {@code seed-node-timeout}; this says so and how to fix it. A learner that was not
 * resumed founds the cluster on purpose, so the check runs only with {@code --resume}.
 */
final class SeedCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SeedCheck.class);

    private SeedCheck() {}

    /** Registers the check; it runs once, when this node is Up. */
    static void afterJoin(ActorSystem<?> system, Config config, boolean resuming, String shape) {
        if (!resuming) {
            return;
        }
        Cluster cluster = Cluster.get(Adapter.toClassic(system));
        cluster.registerOnMemberUp(() -> {
            int members = (int) java.util.stream.StreamSupport.stream(cluster.state().getMembers().spliterator(), false).count();
            warning(members, cluster.selfAddress(), config.getStringList("pekko.cluster.seed-nodes"), shape)
                    .ifPresent(LOG::warn);
        });
    }

    /**
     * The warning for a resumed learner that is Up with {@code members} members, empty when it
     * joined others.
     */
    static Optional<String> warning(int members, Address self, List<String> seeds, String shape) {
        if (members > 1) {
            return Optional.empty();
        }
        String start = "--resume: this learner founded a new cluster; ";
        if (shape.equals("kubernetes")) {
            return Optional.of(start + "Cluster Bootstrap found no surviving pod of the run (pods labelled "
                    + "app.kubernetes.io/part-of with the bootstrap service name). Check that the role pods still run "
                    + "and carry the label, and that this pod may list pods (k8s/base RBAC).");
        }
        List<String> others = seeds.stream().filter(s -> !s.equals(self.toString())).toList();
        String lost = " Role nodes of the earlier run wait in the cluster they still form and will not be used.";
        String secondSeed = "list a long-lived role node (e.g. the reference) as a second seed in every node's "
                + "pekko.cluster.seed-nodes (README: Learner lost), then restart this learner.";
        if (others.isEmpty()) {
            return Optional.of(start + "pekko.cluster.seed-nodes lists no node but this one (" + self
                    + "), so it could reach no surviving node." + lost + " Fix: " + secondSeed);
        }
        return Optional.of(start + "no surviving node answered at its other seed nodes " + others
                + " within pekko.cluster.seed-node-timeout." + lost + " Fix: start one of them, or " + secondSeed);
    }
}
