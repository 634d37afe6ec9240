package troupe.cli;

import java.util.List;

/**
 * Bad-input rows of a model argument that is a folder but not a model: a checkpoint is one (its
 * {@code model/} folder), anything else names both files it lacks.
 */
final class ModelArgumentRows {

    private ModelArgumentRows() {
    }

    static List<BadInputRows.Row> all() {
        return List.of(
            new BadInputRows.Row("eval --model DIR", "a checkpoint without model/ (an older Troupe)", in ->
                new String[] {"eval", "--model",
                    in.file("ck/troupe-manifest.txt", "troupe-manifest 1\n").getParent().toString(),
                    "--task", "reverse"},
                List.of("DIR/ck is a checkpoint without a model folder (missing file DIR/ck/model/config.json"),
                Main.EXIT_USAGE),
            new BadInputRows.Row("generate --model DIR", "a run folder (neither a model nor a checkpoint)", in ->
                new String[] {"generate", "--model", in.file("run/metrics.jsonl", "{}").getParent().toString(),
                    "--prompt", "hi"},
                List.of("DIR/run is neither a model folder (missing file DIR/run/config.json) nor a checkpoint folder "
                    + "(missing file DIR/run/model/config.json)"), Main.EXIT_USAGE),
            new BadInputRows.Row("sft --model DIR", "a run folder (neither a model nor a checkpoint)", in ->
                new String[] {"sft", "--data", in.file("d.jsonl", "{\"prompt\": \"a\", \"completion\": \"b\"}\n")
                    .toString(), "--out", in.at("out"), "--model", in.file("run/metrics.jsonl", "{}").getParent()
                    .toString(), "--steps", "1"},
                List.of("DIR/run is neither a model folder (missing file DIR/run/config.json)"), Main.EXIT_USAGE));
    }
}
