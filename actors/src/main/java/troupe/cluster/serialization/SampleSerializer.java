package troupe.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.HashMap;
import java.util.Map;
import troupe.core.rollout.Sample;

/**
 * {@link Sample} field by field, arrays as length + bulk copy. Kryo's record serializer reads
 * each of the 14 components through reflection and builds the record through its canonical
 * constructor reflectively; with 512 samples per batch that was most of a batch's encoding time,
 * beyond the arrays themselves. Field order is the wire format: change it only with every node.
 */
final class SampleSerializer extends Serializer<Sample> {
    SampleSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, Sample s) {
        out.writeString(s.promptId());
        out.writeVarLong(s.groupId(), true);
        ints(out, s.promptTokens());
        ints(out, s.responseTokens());
        out.writeVarInt(s.responseMask().length, true);
        out.writeBooleans(s.responseMask(), 0, s.responseMask().length);
        floats(out, s.behaviourLogprobs());
        floats(out, s.untruncatedLogprobs());
        floats(out, s.referenceLogprobs());
        floats(out, s.rewards());
        out.writeBoolean(s.truncated());
        out.writeString(s.promptText());
        out.writeString(s.responseText());
        out.writeString(s.task());
        out.writeVarInt(s.metadata().size(), true);
        for (Map.Entry<String, String> e : s.metadata().entrySet()) {
            out.writeString(e.getKey());
            out.writeString(e.getValue());
        }
    }

    @Override
    public Sample read(Kryo kryo, Input in, Class<? extends Sample> type) {
        String promptId = in.readString();
        long groupId = in.readVarLong(true);
        int[] prompt = in.readInts(in.readVarInt(true));
        int[] response = in.readInts(in.readVarInt(true));
        boolean[] mask = in.readBooleans(in.readVarInt(true));
        float[] behaviour = in.readFloats(in.readVarInt(true));
        float[] untruncated = in.readFloats(in.readVarInt(true));
        float[] reference = in.readFloats(in.readVarInt(true));
        float[] rewards = in.readFloats(in.readVarInt(true));
        boolean truncated = in.readBoolean();
        String promptText = in.readString();
        String responseText = in.readString();
        String task = in.readString();
        int entries = in.readVarInt(true);
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            metadata.put(in.readString(), in.readString());
        }
        return new Sample(promptId, groupId, prompt, response, mask, behaviour, untruncated, reference, rewards,
                truncated, promptText, responseText, task, metadata);
    }

    private static void ints(Output out, int[] a) {
        out.writeVarInt(a.length, true);
        out.writeInts(a, 0, a.length);
    }

    private static void floats(Output out, float[] a) {
        out.writeVarInt(a.length, true);
        out.writeFloats(a, 0, a.length);
    }
}
