package troupe.events;

import java.util.ArrayList;
import java.util.List;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.proto.v1.ObjectiveScore;
import troupe.proto.v1.SampleResponse;

/**
 * Picks the few responses of a step's batch that its event carries, so a reader sees what the
 * policy writes next to the curves (an empty answer scoring well shows a collapse at a glance).
 * Deterministic: prompt groups spread evenly over the batch (the first group always), and of each
 * the best and the worst response by scalar reward — the two ends the advantages push apart.
 */
public final class SampleChooser {
    private static final String CUT = "…";

    /**
     * The {@code troupe.learner-events} sample keys.
     *
     * @param count responses per event, ≥ 0; 0 = none
     * @param textChars longest prompt or response text kept, in characters (the event is also a
     *     line of metrics.jsonl, so this bounds the log's growth per step)
     */
    public record Settings(int count, int textChars) {
        /** No samples: the events of tests and tools that do not read them. */
        public static final Settings NONE = new Settings(0, 0);

        public Settings {
            if (count < 0 || (count > 0 && textChars < 1)) {
                throw new IllegalArgumentException("sample count " + count + " with " + textChars + " characters");
            }
        }
    }

    private SampleChooser() {}

    /**
     * @param scalarRewards one per sample in sample order; any other length (an engine that does
     *     not report them) ranks by the first objective's raw score, larger is better after its sign
     */
    public static List<SampleResponse> choose(RolloutBatch batch, double[] scalarRewards, Settings settings) {
        List<int[]> groups = groups(batch.samples());
        List<SampleResponse> out = new ArrayList<>();
        if (settings.count() == 0 || groups.isEmpty()) {
            return out;
        }
        boolean scalar = scalarRewards.length == batch.size();
        double[] rank = scalar ? scalarRewards : fallbackRank(batch);
        int visit = Math.min(groups.size(), (settings.count() + 1) / 2);
        for (int j = 0; j < visit && out.size() < settings.count(); j++) {
            int[] g = groups.get((int) ((long) j * groups.size() / visit));
            int best = g[0];
            int worst = g[0];
            for (int i = g[0]; i < g[1]; i++) {
                best = rank[i] > rank[best] ? i : best;   // first of the highest
                worst = rank[i] <= rank[worst] ? i : worst; // last of the lowest: differs from best in a tied group
            }
            out.add(response(batch, best, "best", scalar ? scalarRewards[best] : Double.NaN, settings.textChars()));
            if (worst != best && out.size() < settings.count()) {
                out.add(response(batch, worst, "worst", scalar ? scalarRewards[worst] : Double.NaN,
                        settings.textChars()));
            }
        }
        return out;
    }

    /** [from, to) of each group: samples of a group are contiguous (RolloutBatch). */
    private static List<int[]> groups(List<Sample> samples) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (i == 0 || samples.get(i).groupId() != samples.get(i - 1).groupId()) {
                out.add(new int[] {i, i + 1});
            } else {
                out.get(out.size() - 1)[1] = i + 1;
            }
        }
        return out;
    }

    private static double[] fallbackRank(RolloutBatch batch) {
        double[] rank = new double[batch.size()];
        if (batch.objectives().isEmpty()) {
            return rank; // all tied: first and last of each group
        }
        double sign = batch.objectives().get(0).direction().sign();
        for (int i = 0; i < rank.length; i++) {
            float[] r = batch.samples().get(i).rewards();
            rank[i] = r.length > 0 ? sign * r[0] : 0;
        }
        return rank;
    }

    private static SampleResponse response(RolloutBatch batch, int i, String pick, double scalar, int chars) {
        Sample s = batch.samples().get(i);
        String prompt = cut(s.promptText(), chars);
        String response = cut(s.responseText(), chars);
        SampleResponse.Builder b = SampleResponse.newBuilder().setPrompt(prompt).setResponse(response)
                .setTextCut(!prompt.equals(s.promptText()) || !response.equals(s.responseText()))
                .setScalarReward(scalar).setGroupId(s.groupId()).setPick(pick)
                .setResponseTokens(s.responseTokens().length).setLengthLimited(s.truncated());
        for (int k = 0; k < batch.objectives().size() && k < s.rewards().length; k++) {
            b.addScores(ObjectiveScore.newBuilder().setObjective(batch.objectives().get(k).name())
                    .setValue(s.rewards()[k]));
        }
        return b.build();
    }

    /** {@code text} cut to {@code chars} characters, the last being "…"; never splits a surrogate pair. */
    static String cut(String text, int chars) {
        if (text.length() <= chars) {
            return text;
        }
        int end = chars - CUT.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, Math.max(0, end)) + CUT;
    }
}
