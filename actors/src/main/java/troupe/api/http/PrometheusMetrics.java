package troupe.api.http;

import java.util.Locale;
import java.util.function.ToDoubleFunction;
import troupe.api.LearnerEventHub;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.ObjectiveStats;

/**
 * Renders {@code /metrics} in the Prometheus text exposition format (version 0.0.4): gauges from
 * the latest LearnerEvent, counters from the event and from the hub. Gauges are absent until
 * the first event, so a scrape never reports a made-up 0 step.
 */
final class PrometheusMetrics {
    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusMetrics() {}

    static String render(LearnerEventHub hub) {
        PrometheusMetrics m = new PrometheusMetrics();
        m.scalar("troupe_learner_events_published_total", "counter", "LearnerEvents published", hub.publishedCount());
        m.scalar("troupe_learner_events_missed_total", "counter",
                "events dropped from slow subscribers' buffers, summed over subscribers", hub.missedCount());
        m.scalar("troupe_learner_event_subscribers", "gauge", "live event subscribers (Watch, SSE)", hub.subscriberCount());
        m.healthAlerts(hub);
        hub.latest().ifPresent(m::event);
        return m.out.toString();
    }

    private void event(LearnerEvent e) {
        gauge("troupe_step", "optimisation steps completed", e.getStep());
        gauge("troupe_total_steps", "steps planned; 0 = unbounded", e.getTotalSteps());
        gauge("troupe_policy_version", "policy version after the step", e.getPolicyVersion());
        gauge("troupe_policy_lag", "learner version minus the batch's policy version", e.getPolicyLag());
        scalar("troupe_stale_batches_dropped_total", "counter", "batches dropped for exceeding max-policy-lag",
                e.getStaleBatchesDropped());
        gauge("troupe_scalar_reward_mean", "mean scalarised reward", e.getScalarRewardMean());
        gauge("troupe_reward_multiplier", "hypervolume-guided reward multiplier", e.getRewardMultiplier());
        gauge("troupe_hypervolume", "hypervolume of the Pareto front", e.getHypervolume());
        gauge("troupe_zero_variance_group_fraction", "fraction of groups with equal rewards",
                e.getZeroVarianceGroupFraction());
        objectives(e, "troupe_objective_reward_mean", "raw reward mean per objective", ObjectiveStats::getRawMean);
        objectives(e, "troupe_objective_reward_std", "raw reward std per objective", ObjectiveStats::getRawStd);
        objectives(e, "troupe_objective_normalized_mean", "normalised reward mean per objective",
                ObjectiveStats::getNormalizedMean);
        objectives(e, "troupe_objective_weight", "weight in the scalarised reward", ObjectiveStats::getWeight);
        objectives(e, "troupe_objective_quarantined", "1 when the scorer failed this batch",
                o -> o.getQuarantined() ? 1 : 0);
        objectives(e, "troupe_objective_heldout_mean", "held-out mean; NaN when not evaluated",
                ObjectiveStats::getHeldoutMean);
        gauge("troupe_kl", "token-mean KL(pi||pi_ref), nats", e.getKl().getTokenMean());
        gauge("troupe_kl_sequence_mean", "sequence-summed KL, nats", e.getKl().getSequenceMean());
        gauge("troupe_kl_budget", "sqrt of the sequence KL", e.getKl().getBudget());
        gauge("troupe_kl_coefficient", "KL coefficient beta", e.getKl().getCoefficient());
        gauge("troupe_entropy", "token-mean policy entropy, nats", e.getEntropy().getMean());
        gauge("troupe_entropy_top_k_mass", "token-mean top-k probability mass", e.getEntropy().getTopKMass());
        gauge("troupe_loss", "total loss", e.getLoss().getTotal());
        gauge("troupe_grad_norm", "global gradient norm before clipping", e.getLoss().getGradNorm());
        gauge("troupe_learning_rate", "learning rate", e.getLoss().getLearningRate());
        gauge("troupe_clip_fraction", "fraction of tokens where the PPO clip was active", e.getClip().getClipFraction());
        gauge("troupe_response_length_mean", "mean response length, tokens", e.getLengths().getResponseMean());
        gauge("troupe_truncation_rate", "fraction of responses that hit max_new_tokens", e.getLengths().getTruncationRate());
        gauge("troupe_step_seconds", "wall-clock of the step", e.getThroughput().getStepSeconds());
        gauge("troupe_samples_per_second", "samples per second", e.getThroughput().getSamplesPerSecond());
        gauge("troupe_tokens_per_second", "response tokens per second", e.getThroughput().getTokensPerSecond());
        scalar("troupe_scorer_faults", "gauge", "scorer faults on the step's batch", e.getFaultsCount());
        faultsByKind(e);
    }

    /** Alerts raised so far, one series per kind and severity seen (none before the first alert). */
    private void healthAlerts(LearnerEventHub hub) {
        header("troupe_health_alerts_total", "counter", "health alerts raised, by kind and severity");
        for (var s : hub.healthAlerts().series()) {
            out.append("troupe_health_alerts_total{kind=\"").append(escape(s.kind())).append("\",severity=\"")
                    .append(escape(s.severity())).append("\"} ").append(s.count()).append('\n');
        }
    }

    /** One series per fault kind seen on the batch (deadline, unavailable, wrong_count, non_finite, exception). */
    private void faultsByKind(LearnerEvent e) {
        java.util.Map<String, Integer> byKind = new java.util.TreeMap<>();
        e.getFaultsList().forEach(f -> byKind.merge(f.getKind(), 1, Integer::sum));
        header("troupe_scorer_faults_by_kind", "gauge", "scorer faults on the step's batch by fault kind");
        byKind.forEach((kind, n) -> out.append("troupe_scorer_faults_by_kind{kind=\"").append(escape(kind))
                .append("\"} ").append(n).append('\n'));
    }

    private void gauge(String name, String help, double value) {
        scalar(name, "gauge", help, value);
    }

    private void scalar(String name, String type, String help, double value) {
        header(name, type, help);
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private void objectives(LearnerEvent e, String name, String help, ToDoubleFunction<ObjectiveStats> value) {
        header(name, "gauge", help);
        for (ObjectiveStats o : e.getObjectivesList()) {
            out.append(name).append("{objective=\"").append(escape(o.getName())).append("\"} ")
                    .append(number(value.applyAsDouble(o))).append('\n');
        }
    }

    private void header(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
