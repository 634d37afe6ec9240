package troupe.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Random;

/** Sets every field of a message builder (first member of each oneof) to a random non-default value. */
final class Filler {
    private static final int MAX_DEPTH = 4;

    private Filler() {}

    static Message.Builder fill(Message.Builder b, Random rnd, int depth) {
        for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
            var oneof = f.getRealContainingOneof();
            if (oneof != null && oneof.getFields().get(0) != f) {
                continue;
            }
            if (f.isMapField()) {
                Message.Builder entry = b.newBuilderForField(f);
                fill(entry, rnd, depth + 1);
                b.addRepeatedField(f, entry.build());
            } else if (f.isRepeated()) {
                for (int i = 0; i < 3; i++) {
                    b.addRepeatedField(f, value(b, f, rnd, depth));
                }
            } else if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || depth < MAX_DEPTH) {
                b.setField(f, value(b, f, rnd, depth));
            }
        }
        return b;
    }

    private static Object value(Message.Builder b, FieldDescriptor f, Random rnd, int depth) {
        return switch (f.getJavaType()) {
            case INT -> 1 + rnd.nextInt(1000);
            case LONG -> 1L + rnd.nextInt(1_000_000);
            case FLOAT -> 0.5f + rnd.nextInt(100);
            case DOUBLE -> 0.25 + rnd.nextDouble();
            case BOOLEAN -> true;
            case STRING -> "s" + rnd.nextInt(1000);
            case BYTE_STRING -> ByteString.copyFromUtf8("b" + rnd.nextInt(1000));
            case ENUM -> {
                List<EnumValueDescriptor> values = f.getEnumType().getValues();
                yield values.get(1 + rnd.nextInt(values.size() - 1));
            }
            case MESSAGE -> fill(b.newBuilderForField(f), rnd, depth + 1).build();
        };
    }
}
