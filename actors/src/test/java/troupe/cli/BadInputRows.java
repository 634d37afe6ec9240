package troupe.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** The rows of the bad-input table: a command, one broken input, what the error must name, the exit status. */
final class BadInputRows {

    private BadInputRows() {
    }

    /** Where a row builds its input: its own folder, a good tiny model to copy, a port nothing listens on. */
    record Inputs(Path work, Path good, int closedPort) {

        /** A copy of the good model under {@code work/m}. */
        Path model() {
            Path m = work.resolve("m");
            try (Stream<Path> files = Files.list(good)) {
                Files.createDirectories(m);
                for (Path f : files.toList()) {
                    Files.copy(f, m.resolve(f.getFileName()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return m;
        }

        /** The good model with {@code "key": value} in config.json replaced. */
        Path modelWithConfig(String key, String value) {
            Path m = model();
            String json = read(m.resolve("config.json"));
            String edited = json.replaceFirst("\"" + key + "\": [^,\\n]+", "\"" + key + "\": " + value);
            if (edited.equals(json)) {
                throw new IllegalStateException("no " + key + " in " + json);
            }
            write(m.resolve("config.json"), edited.getBytes(StandardCharsets.UTF_8));
            return m;
        }

        /** The good model whose model.safetensors is {@code header} (padded) and {@code dataBytes} zeros. */
        Path modelWithHeader(String header, int dataBytes) {
            Path m = model();
            byte[] json = header.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(json.length).put(json);
            write(m.resolve("model.safetensors"), b.array());
            return m;
        }

        Path file(String name, String text) {
            return file(name, text.getBytes(StandardCharsets.UTF_8));
        }

        Path file(String name, byte[] bytes) {
            Path f = work.resolve(name);
            write(f, bytes);
            return f;
        }

        String at(String name) {
            return work.resolve(name).toString();
        }

        String target() {
            return "127.0.0.1:" + closedPort;
        }

        static String read(Path f) {
            try {
                return Files.readString(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void write(Path f, byte[] bytes) {
            try {
                Files.createDirectories(f.getParent());
                Files.write(f, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * @param command the command line as shown in the table
     * @param input what is wrong with the input
     * @param prepare builds the input under the row's folder and returns the arguments
     * @param names fragments the message must contain (the row's folder shown as DIR)
     * @param exit expected exit status
     */
    record Row(String command, String input, Function<Inputs, String[]> prepare, List<String> names, int exit) {
    }

    private static final String PAIR = "{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n";
    private static final String EXAMPLE = "{\"prompt\": \"a\", \"completion\": \"b\"}\n";
    private static final String TINY = "llama-1x16h2";

    private static String[] generate(Path model) {
        return new String[] {"generate", "--model", model.toString(), "--prompt", "hi", "--max-new", "2"};
    }

    private static String[] sft(Inputs in, Path data) {
        return new String[] {"sft", "--data", data.toString(), "--out", in.at("out"), "--init", TINY, "--steps", "1"};
    }

    private static String[] trainRm(Inputs in, Path pairs) {
        return new String[] {"train-rm", "--pairs", pairs.toString(), "--out", in.at("out"), "--init", TINY,
            "--steps", "1"};
    }

    /** {@code run --data} on the good tiny model (context 64, 16-token responses) with a declared reward. */
    private static String[] runData(Inputs in, Path data, String... more) {
        Path conf = in.file("r.conf", "troupe.rewards.scorers = [ { scorer = \"length\" } ]");
        List<String> args = new java.util.ArrayList<>(List.of("run", "--config", conf.toString(), "--data",
            data.toString(), "--model", in.model().toString(), "--out", in.at("runs"), "--steps", "1", "--no-servers"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static final String RESPONSE = "{\"response\": \"4\", \"answer\": \"4\"}\n";

    private static String[] score(Inputs in, String reward) {
        return new String[] {"score", "--data", in.file("r.jsonl", RESPONSE).toString(), "--reward", reward};
    }

    private static Row row(String command, String input, Function<Inputs, String[]> prepare, String... names) {
        return new Row(command, input, prepare, List.of(names), Main.EXIT_USAGE);
    }

    static List<Row> all() {
        byte[] badUtf8 = (EXAMPLE + "{\"prompt\": \"caf\u00e9\", \"completion\": \"x\"}\n").getBytes(StandardCharsets.ISO_8859_1);
        return List.of(
            row("generate --model DIR", "empty folder", in -> {
                in.file("m/.keep", "");
                return generate(in.work().resolve("m"));
            }, "missing file DIR/m/config.json"),
            row("generate --model DIR", "config.json cut off mid-object", in -> {
                Path m = in.model();
                String json = Inputs.read(m.resolve("config.json"));
                Inputs.write(m.resolve("config.json"), json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8));
                return generate(m);
            }, "DIR/m/config.json: malformed JSON: "),
            row("generate --model DIR", "config.json is a JSON array", in -> {
                Path m = in.model();
                Inputs.write(m.resolve("config.json"), "[1, 2]".getBytes(StandardCharsets.UTF_8));
                return generate(m);
            }, "DIR/m/config.json: expected a JSON object, found an array"),
            row("generate --model DIR", "hidden_size -64", in -> generate(in.modelWithConfig("hidden_size", "-64")),
                "DIR/m/config.json: hidden_size must be > 0, got -64"),
            row("generate --model DIR", "3 heads for hidden_size 64", in ->
                generate(in.modelWithConfig("num_attention_heads", "3")),
                "DIR/m/config.json: hidden_size 64 not divisible by heads 3"),
            row("generate --model DIR", "num_hidden_layers 1.5", in ->
                generate(in.modelWithConfig("num_hidden_layers", "1.5")),
                "DIR/m/config.json: 'num_hidden_layers' must be an integer, found 1.5"),
            row("generate --model DIR", "vocab_size 10000000000 (beyond int)", in ->
                generate(in.modelWithConfig("vocab_size", "10000000000")),
                "DIR/m/config.json: 'vocab_size' must be an integer, found 10000000000"),
            row("generate --model DIR", "model_type \"mamba\"", in -> generate(in.modelWithConfig("model_type", "\"mamba\"")),
                "DIR/m/config.json: unsupported model_type 'mamba'; supported: "),
            row("generate --model DIR", "eos_token_id outside the vocabulary", in ->
                generate(in.modelWithConfig("eos_token_id", "100000")),
                "DIR/m/config.json: 'eos_token_id' 100000 is outside the vocabulary [0, "),
            row("generate --model DIR", "intermediate_size that the tensors do not have", in ->
                generate(in.modelWithConfig("intermediate_size", "128")),
                "DIR/m/model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [176, 64], "
                    + "config.json implies [128, 64]"),
            row("generate --model DIR", "model.safetensors missing", in -> {
                Path m = in.model();
                delete(m.resolve("model.safetensors"));
                return generate(m);
            }, "missing file DIR/m/model.safetensors (and no model.safetensors.index.json)"),
            row("generate --model DIR", "model.safetensors cut to half its size", in -> {
                Path m = in.model();
                byte[] all = readBytes(m.resolve("model.safetensors"));
                Inputs.write(m.resolve("model.safetensors"), java.util.Arrays.copyOf(all, all.length / 2));
                return generate(m);
            }, "DIR/m/model.safetensors: tensor '", "within the data section of "),
            row("generate --model DIR", "model.safetensors of 5 bytes", in -> {
                Path m = in.model();
                Inputs.write(m.resolve("model.safetensors"), new byte[5]);
                return generate(m);
            }, "DIR/m/model.safetensors: truncated safetensors file (5 bytes"),
            row("generate --model DIR", "header length 2^62", in -> {
                Path m = in.model();
                ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62);
                Inputs.write(m.resolve("model.safetensors"), b.array());
                return generate(m);
            }, "DIR/m/model.safetensors: bad safetensors header length 4611686018427387904 for a file of 64 bytes"),
            row("generate --model DIR", "header that is not JSON", in -> generate(in.modelWithHeader("{\"a\": [1, ", 0)),
                "DIR/m/model.safetensors: header: malformed JSON: "),
            row("generate --model DIR", "header with invalid UTF-8", in -> {
                Path m = in.model();
                byte[] header = {'{', '"', (byte) 0xC3, '"', ':', '1', '}', ' '};
                ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(8).put(header);
                Inputs.write(m.resolve("model.safetensors"), b.array());
                return generate(m);
            }, "DIR/m/model.safetensors: header: invalid UTF-8 at byte 2"),
            row("generate --model DIR", "tensor of dtype I64", in -> generate(in.modelWithHeader(
                "{\"model.norm.weight\": {\"dtype\": \"I64\", \"shape\": [64], \"data_offsets\": [0, 512]}}", 512)),
                "DIR/m/model.safetensors: tensor 'model.norm.weight' has unsupported dtype I64; supported: F32, BF16, F16"),
            row("generate --model DIR", "tensor bytes past the end of the file", in -> generate(in.modelWithHeader(
                "{\"model.norm.weight\": {\"dtype\": \"F32\", \"shape\": [64], \"data_offsets\": [0, 256]}}", 16)),
                "DIR/m/model.safetensors: tensor 'model.norm.weight' spans bytes [0, 256), expected 256 bytes for "
                    + "F32[64] within the data section of 16 bytes"),
            row("generate --model DIR", "shape [2^20, 2^20, 2^20] (allocation bound)", in -> generate(in.modelWithHeader(
                "{\"x\": {\"dtype\": \"F32\", \"shape\": [1048576, 1048576, 1048576], \"data_offsets\": [0, 4]}}", 4)),
                "DIR/m/model.safetensors: tensor 'x' has shape [1048576, 1048576, 1048576], more elements than a Java "
                    + "array holds"),
            row("generate --model DIR", "two tensors over the same bytes", in -> generate(in.modelWithHeader(
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, "
                    + "\"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12)),
                "DIR/m/model.safetensors: tensors 'a' and 'b' overlap in the data section"),
            row("generate --model DIR", "a tensor config.json does not imply", in -> generate(in.modelWithHeader(
                "{\"model.layers.9.mlp.up_proj.weight\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}",
                4)), "DIR/m/model.safetensors: unexpected tensor 'model.layers.9.mlp.up_proj.weight' for model_type llama"),
            row("generate --model DIR", "index naming a shard outside the folder", in -> {
                Path m = in.model();
                delete(m.resolve("model.safetensors"));
                in.file("m/model.safetensors.index.json",
                    "{\"weight_map\": {\"model.norm.weight\": \"../../etc/passwd\"}}");
                return generate(m);
            }, "DIR/m/model.safetensors.index.json: weight_map['model.norm.weight'] = '../../etc/passwd' is not a file "
                + "in the model folder"),
            row("generate --model DIR", "troupe_tokenizer.json not JSON", in -> {
                Path m = in.model();
                in.file("m/troupe_tokenizer.json", "{\"kind\": ");
                return generate(m);
            }, "DIR/m/troupe_tokenizer.json: malformed JSON: "),
            row("generate --model DIR", "tokenizer kind \"sentencepiece\"", in -> {
                Path m = in.model();
                in.file("m/troupe_tokenizer.json", "{\"kind\": \"sentencepiece\"}");
                return generate(m);
            }, "DIR/m/troupe_tokenizer.json: unknown tokenizer kind 'sentencepiece'; supported: byte, hf"),
            row("generate --model DIR", "tokenizer.json that is not a tokenizer", in -> {
                Path m = in.model();
                in.file("m/troupe_tokenizer.json", "{\"kind\": \"hf\"}");
                in.file("m/tokenizer.json", "{\"model\": 42}");
                return generate(m);
            }, "DIR/m/tokenizer.json: not a tokenizer.json that the tokenizers library reads"),
            row("generate --model DIR", "hf tokenizer with no tokenizer.json", in -> {
                Path m = in.model();
                in.file("m/troupe_tokenizer.json", "{\"kind\": \"hf\"}");
                delete(m.resolve("tokenizer.json"));
                return generate(m);
            }, "missing file DIR/m/tokenizer.json"),
            row("eval --model DIR", "empty folder", in -> {
                in.file("m/.keep", "");
                return new String[] {"eval", "--model", in.at("m"), "--task", "reverse", "--n", "2"};
            }, "missing file DIR/m/config.json"),
            row("eval --model DIR", "model.safetensors cut to half its size", in -> {
                Path m = in.model();
                byte[] all = readBytes(m.resolve("model.safetensors"));
                Inputs.write(m.resolve("model.safetensors"), java.util.Arrays.copyOf(all, all.length / 2));
                return new String[] {"eval", "--model", m.toString(), "--task", "reverse", "--n", "2"};
            }, "DIR/m/model.safetensors: tensor '"),
            row("run --model DIR", "hidden_size -64", in -> new String[] {"run", "--model",
                in.modelWithConfig("hidden_size", "-64").toString(), "--out", in.at("runs"), "--steps", "1",
                "--no-servers"}, "DIR/m/config.json: hidden_size must be > 0, got -64"),
            row("run --model DIR", "tokenizer kind \"sentencepiece\"", in -> {
                Path m = in.model();
                in.file("m/troupe_tokenizer.json", "{\"kind\": \"sentencepiece\"}");
                return new String[] {"run", "--model", m.toString(), "--out", in.at("runs"), "--steps", "1",
                    "--no-servers"};
            }, "DIR/m/troupe_tokenizer.json: unknown tokenizer kind 'sentencepiece'"),
            row("sft --model DIR", "model.safetensors cut to half its size", in -> {
                Path m = in.model();
                byte[] all = readBytes(m.resolve("model.safetensors"));
                Inputs.write(m.resolve("model.safetensors"), java.util.Arrays.copyOf(all, all.length / 2));
                return new String[] {"sft", "--data", in.file("d.jsonl", EXAMPLE).toString(), "--out", in.at("out"),
                    "--model", m.toString(), "--steps", "1"};
            }, "DIR/m/model.safetensors: tensor '"),
            row("sft --data FILE", "invalid UTF-8 on line 2", in -> sft(in, in.file("d.jsonl", badUtf8)),
                "DIR/d.jsonl:2: invalid UTF-8 at byte 15"),
            row("sft --data FILE", "line 2 cut off mid-object", in ->
                sft(in, in.file("d.jsonl", EXAMPLE + "{\"prompt\": \"a\", \"compl")),
                "DIR/d.jsonl:2: malformed JSON: "),
            row("sft --data FILE", "line 1 lacks \"completion\"", in -> sft(in, in.file("d.jsonl", "{\"prompt\": \"a\"}\n")),
                "DIR/d.jsonl:1: field 'completion' must be a string"),
            row("sft --data FILE", "line 1 is a JSON array", in -> sft(in, in.file("d.jsonl", "[\"a\", \"b\"]\n")),
                "DIR/d.jsonl:1: expected a JSON object, found an array"),
            row("sft --data FILE", "empty file", in -> sft(in, in.file("d.jsonl", "\n\n")), "DIR/d.jsonl: no examples"),
            row("sft --data FILE", "no such file", in -> sft(in, in.work().resolve("missing.jsonl")),
                "data file not found: DIR/missing.jsonl"),
            row("sft --out DIR", "--out is an existing file", in -> {
                Path data = in.file("d.jsonl", EXAMPLE);
                in.file("out", "not a folder");
                return sft(in, data);
            }, "--out: DIR/out is a file, not a folder"),
            row("sft --init SPEC", "malformed init spec", in -> new String[] {"sft", "--data",
                in.file("d.jsonl", EXAMPLE).toString(), "--out", in.at("out"), "--init", "llama-2x"},
                "bad init spec 'llama-2x'"),
            row("train-rm --pairs FILE", "line 2 cut off mid-object", in ->
                trainRm(in, in.file("p.jsonl", PAIR + "{\"prompt\": ")), "DIR/p.jsonl:2: malformed JSON: "),
            row("train-rm --pairs FILE", "invalid UTF-8 on line 1", in ->
                trainRm(in, in.file("p.jsonl", new byte[] {'{', '"', (byte) 0xFF, '"', '}', '\n'})),
                "DIR/p.jsonl:1: invalid UTF-8 at byte 2"),
            row("train-rm --pairs FILE", "a single pair", in -> trainRm(in, in.file("p.jsonl", PAIR)),
                "DIR/p.jsonl: need at least 2 pairs"),
            new Row("control --target HOST:PORT status", "nothing listens on the port", in ->
                new String[] {"control", "--target", in.target(), "status"}, List.of("cannot reach 127.0.0.1:"),
                1),
            new Row("watch --target HOST:PORT", "nothing listens on the port", in ->
                new String[] {"watch", "--target", in.target()}, List.of("cannot reach 127.0.0.1:"), 1),
            row("control --target HOST:PORT", "no port", in -> new String[] {"control", "--target", "localhost", "status"},
                "--target: must be host:port, got 'localhost'"),
            row("control ACTION", "unknown action", in -> new String[] {"control", "--target", in.target(), "restart"},
                "unknown action 'restart'"),
            row("config check FILE", "unterminated HOCON object", in ->
                new String[] {"config", "check", in.file("c.conf", "troupe { run { steps = 3 }").toString()},
                "c.conf"),
            row("run --config FILE", "misspelt key", in -> new String[] {"run", "--config",
                in.file("c.conf", "troupe.run.stepz = 3").toString(), "--no-servers"}, "troupe.run.stepz"),
            row("generate --temperature T", "not a number", in ->
                new String[] {"generate", "--model", in.at("m"), "--prompt", "x", "--temperature", "warm"},
                "Invalid value for option '--temperature': 'warm' is not a double"),
            row("run --steps N", "negative step count", in -> new String[] {"run", "--steps", "-3", "--out", in.at("runs"),
                "--no-servers"}, "troupe.run.steps: expected an integer in [1, "),
            row("run --weighting NAME", "unknown strategy", in -> new String[] {"run", "--weighting", "nope", "--out",
                in.at("runs"), "--no-servers"}, "troupe.learner.weighting.strategy: expected one of [fixed-linear, "),
            row("run --resume DIR", "no such folder", in -> new String[] {"run", "--resume", in.at("gone"), "--out",
                in.at("runs"), "--no-servers"}, "--resume: no such folder: DIR/gone"),
            row("run --data FILE", "empty file", in -> runData(in, in.file("d.jsonl", "\n")),
                "DIR/d.jsonl: no prompts (the file is empty or blank)"),
            row("run --data FILE", "line 2 cut off mid-object", in ->
                runData(in, in.file("d.jsonl", "{\"prompt\": \"a\"}\n{\"prompt\": ")), "DIR/d.jsonl:2: malformed JSON: "),
            row("run --data FILE", "line 1 has neither prompt nor messages", in ->
                runData(in, in.file("d.jsonl", "{\"question\": \"a\"}\n")),
                "DIR/d.jsonl:1: missing field 'prompt' (or 'messages')"),
            row("run --data FILE", "line 1 has role \"bot\"", in -> runData(in,
                in.file("d.jsonl", "{\"messages\": [{\"role\": \"bot\", \"content\": \"a\"}]}\n")),
                "DIR/d.jsonl:1: messages[0].role 'bot' is not one of system, user, assistant"),
            row("run --data FILE", "invalid UTF-8 on line 2", in -> runData(in, in.file("d.jsonl",
                "{\"prompt\": \"a\"}\n{\"prompt\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1))),
                "DIR/d.jsonl:2: invalid UTF-8 at byte 15"),
            row("run --data FILE", "line 2 longer than context 64 minus 16 response tokens", in -> runData(in,
                in.file("d.jsonl", "{\"prompt\": \"a\"}\n{\"prompt\": \"" + "x".repeat(60) + "\"}\n")),
                "DIR/d.jsonl:2: prompt is 61 tokens, longer than the model's context (64) minus the response"
                    + " budget (16) = 48"),
            row("run --data FILE", "no reward declared", in -> new String[] {"run", "--data",
                in.file("d.jsonl", "{\"prompt\": \"a\"}\n").toString(), "--model", in.model().toString(), "--out",
                in.at("runs"), "--no-servers"}, "troupe.run.data: no reward: use --reward or troupe.rewards.scorers"),
            row("run --data FILE --task NAME", "both a prompt file and a task", in -> runData(in,
                in.file("d.jsonl", "{\"prompt\": \"a\"}\n"), "--task", "arithmetic"),
                "troupe.run.data (--data) and troupe.run.task (--task) are exclusive"),
            row("node --role ROLE", "unknown role", in -> new String[] {"node", "--role", "bogus"},
                "--role: unknown role 'bogus'"),
            row("reward-server --scorer NAME", "unknown scorer", in -> new String[] {"reward-server", "--scorer", "bogus"},
                "unknown scorer 'bogus'; registered: "),
            row("make-base --task NAME", "unknown task", in -> new String[] {"make-base", "--task", "nope", "--out",
                in.at("base")}, "unknown task 'nope'; supported: "),
            row("score --reward NAME", "unknown rule", in -> score(in, "exact-matsh"),
                "--reward exact-matsh: unknown scorer 'exact-matsh'; registered: "),
            row("score --reward NAME:key=value", "misspelt rule key", in -> score(in, "numeric:rel_tol=0.1"),
                "--reward numeric.rel_tol: expected one of the keys [abs-tol, "),
            row("score --reward SPEC", "a pair without '='", in -> score(in, "exact-match:trim"),
                "--reward 'exact-match:trim': expected key=value, found 'trim'"),
            row("score --data FILE", "line 2 has no response", in -> new String[] {"score", "--reward", "exact-match",
                "--data", in.file("r.jsonl", RESPONSE + "{\"answer\": \"4\"}\n").toString()},
                "DIR/r.jsonl:2: field 'response' must be a string"),
            row("score --config FILE", "rule pattern that is not a regex", in -> new String[] {"score", "--data",
                in.file("r.jsonl", RESPONSE).toString(), "--config",
                in.file("c.conf", "troupe.rewards.scorers = [ { scorer = regex, pattern = \"(\" } ]").toString()},
                "troupe.rewards.scorers[0].pattern: expected a Java regular expression, found \"(\""),
            row("run --reward SPEC", "unclosed list", in -> new String[] {"run", "--reward", "json:keys=[a", "--out",
                in.at("runs"), "--no-servers"}, "--reward 'json:keys=[a': a list is written [a;b]"),
            row("help COMMAND", "unknown command", in -> new String[] {"help", "nope"}, "Unknown command 'nope'"),
            row("sft --modle DIR", "misspelt option", in -> new String[] {"sft", "--modle", in.at("m")},
                "Unknown options: '--modle'"));
    }

    private static void delete(Path f) {
        try {
            Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBytes(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
