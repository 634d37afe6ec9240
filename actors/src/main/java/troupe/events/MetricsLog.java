package troupe.events;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.IOResult;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.util.ByteString;
import troupe.proto.v1.LearnerEvent;

/**
 * The run's metrics log: one {@link LearnerEvent} per line as protobuf JSON (field names in
 * lowerCamelCase, as {@code JsonFormat} prints them), subscribed to the event hub like any other
 * reader. Readable with {@code jq} and by {@code JsonFormat.parser()}.
 */
public final class MetricsLog {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private MetricsLog() {}

    /** Writes every event of {@code hub} from now on to {@code file}; completes when the hub closes. */
    public static CompletionStage<IOResult> write(LearnerEventHub hub, Path file, ActorSystem<?> system) {
        return hub.subscribe()
                .map(e -> ByteString.fromString(line(e)))
                .runWith(FileIO.toPath(file), system);
    }

    /** One event as a JSON line, newline included. */
    public static String line(LearnerEvent event) {
        try {
            return PRINTER.print(event) + "\n";
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print; LearnerEvent has none.
            throw new IllegalStateException("cannot print learner event " + event.getStep(), e);
        }
    }
}
