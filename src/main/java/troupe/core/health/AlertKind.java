package troupe.core.health;

/** What a {@link HealthAlert} is about; {@link #wireName} is how events, stderr and metrics spell it. */
public enum AlertKind {
    /** Token-mean policy entropy fell below its threshold: the policy is becoming deterministic. */
    ENTROPY_COLLAPSE("entropy-collapse"),
    /** Top-k probability mass rose towards 1 (Shi et al., arXiv 2410.11677). */
    TOPK_MASS("topk-mass"),
    /** The KL budget d = sqrt(sequence KL) passed its threshold (Gao et al., arXiv 2210.10760). */
    KL_BUDGET("kl-budget"),
    /** Mean response length fell to a fraction of its baseline (e.g. empty answers). */
    LENGTH_COLLAPSE("length-collapse"),
    /** The primary objective fell over a window of steps while another objective rose. */
    OBJECTIVE_TRADEOFF("objective-tradeoff");

    private final String wireName;

    AlertKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
