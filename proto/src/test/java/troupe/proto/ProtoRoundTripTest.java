package troupe.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import troupe.proto.v1.ControlProto;
import troupe.proto.v1.LearnerProto;
import troupe.proto.v1.RewardProto;
import troupe.proto.v1.RolloutProto;

/**
 * Every message of every contract survives build → serialize → parse (binary and JSON). Messages
 * are filled field by field from their descriptors, so a message added later is covered too.
 */
class ProtoRoundTripTest {

    static final List<FileDescriptor> FILES = List.of(
            RolloutProto.getDescriptor(), RewardProto.getDescriptor(),
            LearnerProto.getDescriptor(), ControlProto.getDescriptor());

    static Stream<Descriptor> everyMessage() {
        List<Descriptor> all = new ArrayList<>();
        for (FileDescriptor f : FILES) {
            for (Descriptor d : f.getMessageTypes()) {
                all.add(d);
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMessage")
    void roundTripsThroughBinaryAndJson(Descriptor type) throws Exception {
        Message original = Filler.fill(defaultBuilder(type), new Random(type.getFullName().hashCode()), 0).build();
        if (!type.getFields().isEmpty()) {
            assertFalse(original.getAllFields().isEmpty(), "filler set no field of " + type.getName());
        }

        Message parsed = original.getParserForType().parseFrom(original.toByteArray());
        assertEquals(original, parsed);

        String json = JsonFormat.printer().print(original);
        Message.Builder fromJson = defaultBuilder(type);
        JsonFormat.parser().merge(json, fromJson);
        assertEquals(original, fromJson.build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMessage")
    void everyFieldIsSetByTheFiller(Descriptor type) {
        Message m = Filler.fill(defaultBuilder(type), new Random(7), 0).build();
        for (FieldDescriptor f : type.getFields()) {
            if (f.getRealContainingOneof() != null) {
                continue; // only one member of a oneof can be set
            }
            assertTrue(f.isRepeated() ? m.getRepeatedFieldCount(f) > 0 : m.hasField(f) || !f.hasPresence(),
                    type.getName() + "." + f.getName());
        }
    }

    private static Message.Builder defaultBuilder(Descriptor type) {
        try {
            Class<?> cls = Class.forName("troupe.proto.v1." + type.getName());
            return ((Message) cls.getMethod("getDefaultInstance").invoke(null)).newBuilderForType();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no generated class for " + type.getFullName(), e);
        }
    }
}
