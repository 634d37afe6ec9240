package troupe.pipeline;

import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.core.health.HealthSettings;
import troupe.core.health.HealthWatch;
import troupe.events.HealthAlerts;
import troupe.proto.v1.LearnerEvent;
import troupe.roles.Learner;

/**
 * The health alerts of one run, on the learner's publish path: each event gets the alerts active
 * after its step ({@link #check}), before the metrics log and the hub see it; once it is out,
 * {@link #act} applies {@code troupe.health.on-alert} to a newly raised alert through the
 * learner's steering commands (the same Pause and Stop as Control). Called on the learner's
 * thread, one event at a time.
 */
final class HealthGuard {
    private static final Logger log = LoggerFactory.getLogger(HealthGuard.class);

    private final HealthSettings settings;
    private final HealthWatch watch;
    private volatile Steering steering = new Steering() {
        @Override
        public void pause() {}

        @Override
        public void stop() {}
    };
    private boolean stopSent;

    /** @param primaryObjective the trade-off rule's objective; empty = the first of the first event */
    HealthGuard(HealthSettings settings, String primaryObjective) {
        this.settings = settings;
        this.watch = new HealthWatch(settings, primaryObjective);
    }

    /** What on-alert does to the run. */
    interface Steering {
        void pause();

        /** End the run as Control Stop with a checkpoint does. */
        void stop();
    }

    /** Where {@link #act} sends Pause or Stop: the run's learner, once its actor system exists. */
    void steerThrough(Steering steering) {
        this.steering = steering;
    }

    /** Pause and Stop told to the learner of {@code system} (a run's guardian), replies ignored. */
    static Steering learnerOf(ActorSystem<RunSupervisor.Command> system) {
        return new Steering() {
            @Override
            public void pause() {
                system.tell(new RunSupervisor.ToLearner(new Learner.Pause(system.ignoreRef())));
            }

            @Override
            public void stop() {
                system.tell(new RunSupervisor.ToLearner(new Learner.Stop(true, system.ignoreRef())));
            }
        };
    }

    /** {@code e} with every alert active after its step. */
    LearnerEvent check(LearnerEvent e) {
        return HealthAlerts.withAlerts(e, watch.observe(HealthAlerts.signals(e)));
    }

    /** After {@code checked} is published: pause or stop the run when it raised an alert and on-alert says so. */
    void act(LearnerEvent checked) {
        var raised = HealthAlerts.raised(checked);
        if (raised.isEmpty() || settings.onAlert() == HealthSettings.OnAlert.WARN) {
            return;
        }
        if (settings.onAlert() == HealthSettings.OnAlert.PAUSE) {
            log.warn("{}: pausing the run (troupe.health.on-alert = pause); `troupe control resume` goes on",
                    HealthAlerts.line(raised.get(0)));
            steering.pause();
        } else if (!stopSent) {
            stopSent = true;
            log.warn("{}: stopping the run with a checkpoint (troupe.health.on-alert = stop)",
                    HealthAlerts.line(raised.get(0)));
            steering.stop();
        }
    }
}
