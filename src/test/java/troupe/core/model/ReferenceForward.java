package troupe.core.model;

import java.util.Map;

/**
 * Test-only, plain-Java double-precision forward of one unpadded sequence, written straight from
 * the HF modeling files (llama/qwen2 and gpt2) with loops, to check the NDArray implementation.
 */
final class ReferenceForward {

    private final ModelConfig c;
    private final Map<String, float[]> w;

    ReferenceForward(ModelConfig c, Map<String, float[]> weights) {
        this.c = c;
        this.w = weights;
    }

    /** logits [T][V] for tokens at positions 0..T-1. */
    double[][] logits(int[] tokens) {
        int t = tokens.length;
        int d = c.hiddenSize();
        boolean llama = c.type().isLlamaLayout();
        double[][] x = new double[t][d];
        float[] emb = w.get(llama ? "model.embed_tokens.weight" : "transformer.wte.weight");
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = emb[tokens[i] * d + j] + (llama ? 0 : w.get("transformer.wpe.weight")[i * d + j]);
            }
        }
        for (int l = 0; l < c.numLayers(); l++) {
            x = llama ? llamaBlock(l, x) : gpt2Block(l, x);
        }
        double[][] h = llama ? rms(x, w.get("model.norm.weight"))
                : ln(x, w.get("transformer.ln_f.weight"), w.get("transformer.ln_f.bias"));
        float[] head = c.tieEmbeddings() ? emb : w.get("lm_head.weight");
        return linearOutIn(h, head, null, c.vocabSize());
    }

    private double[][] llamaBlock(int l, double[][] x) {
        String p = "model.layers." + l + ".";
        int d = c.hiddenSize();
        int kvDim = c.numKvHeads() * c.headDim();
        double[][] n = rms(x, w.get(p + "input_layernorm.weight"));
        double[][] q = linearOutIn(n, w.get(p + "self_attn.q_proj.weight"), w.get(p + "self_attn.q_proj.bias"), d);
        double[][] k = linearOutIn(n, w.get(p + "self_attn.k_proj.weight"), w.get(p + "self_attn.k_proj.bias"), kvDim);
        double[][] v = linearOutIn(n, w.get(p + "self_attn.v_proj.weight"), w.get(p + "self_attn.v_proj.bias"), kvDim);
        rope(q, c.numHeads());
        rope(k, c.numKvHeads());
        double[][] a = linearOutIn(attend(q, k, v), w.get(p + "self_attn.o_proj.weight"), null, d);
        double[][] h = add(x, a);
        double[][] m = rms(h, w.get(p + "post_attention_layernorm.weight"));
        int f = c.intermediateSize();
        double[][] g = linearOutIn(m, w.get(p + "mlp.gate_proj.weight"), null, f);
        double[][] u = linearOutIn(m, w.get(p + "mlp.up_proj.weight"), null, f);
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < f; j++) {
                g[i][j] = g[i][j] / (1 + Math.exp(-g[i][j])) * u[i][j];
            }
        }
        return add(h, linearOutIn(g, w.get(p + "mlp.down_proj.weight"), null, d));
    }

    private double[][] gpt2Block(int l, double[][] x) {
        String p = "transformer.h." + l + ".";
        int d = c.hiddenSize();
        double[][] n = ln(x, w.get(p + "ln_1.weight"), w.get(p + "ln_1.bias"));
        double[][] qkv = linearInOut(n, w.get(p + "attn.c_attn.weight"), w.get(p + "attn.c_attn.bias"), 3 * d);
        double[][] q = new double[x.length][d];
        double[][] k = new double[x.length][d];
        double[][] v = new double[x.length][d];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(qkv[i], 0, q[i], 0, d);
            System.arraycopy(qkv[i], d, k[i], 0, d);
            System.arraycopy(qkv[i], 2 * d, v[i], 0, d);
        }
        double[][] h = add(x, linearInOut(attend(q, k, v), w.get(p + "attn.c_proj.weight"), w.get(p + "attn.c_proj.bias"), d));
        double[][] m = linearInOut(ln(h, w.get(p + "ln_2.weight"), w.get(p + "ln_2.bias")),
                w.get(p + "mlp.c_fc.weight"), w.get(p + "mlp.c_fc.bias"), c.intermediateSize());
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                double z = row[j];
                row[j] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
            }
        }
        return add(h, linearInOut(m, w.get(p + "mlp.c_proj.weight"), w.get(p + "mlp.c_proj.bias"), d));
    }

    /** Causal attention; q [T][H·D], k, v [T][Hkv·D]; head h uses kv head h / (H/Hkv). */
    private double[][] attend(double[][] q, double[][] k, double[][] v) {
        int t = q.length;
        int hd = c.headDim();
        int group = c.numHeads() / c.numKvHeads();
        double[][] out = new double[t][c.hiddenSize()];
        for (int h = 0; h < c.numHeads(); h++) {
            int kh = h / group;
            for (int i = 0; i < t; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int e = 0; e < hd; e++) {
                        dot += q[i][h * hd + e] * k[j][kh * hd + e];
                    }
                    s[j] = dot / Math.sqrt(hd);
                    max = Math.max(max, s[j]);
                }
                double z = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int e = 0; e < hd; e++) {
                        out[i][h * hd + e] += s[j] / z * v[j][kh * hd + e];
                    }
                }
            }
        }
        return out;
    }

    /** HF rotate-half RoPE in place, position = row index. */
    private void rope(double[][] x, int heads) {
        int hd = c.headDim();
        int half = hd / 2;
        for (int pos = 0; pos < x.length; pos++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < half; i++) {
                    double angle = pos / Math.pow(c.ropeTheta(), 2.0 * i / hd);
                    double a = x[pos][h * hd + i];
                    double b = x[pos][h * hd + half + i];
                    x[pos][h * hd + i] = a * Math.cos(angle) - b * Math.sin(angle);
                    x[pos][h * hd + half + i] = b * Math.cos(angle) + a * Math.sin(angle);
                }
            }
        }
    }

    private double[][] rms(double[][] x, float[] g) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double v : x[i]) {
                ms += v * v;
            }
            double r = 1 / Math.sqrt(ms / x[i].length + c.normEps());
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = x[i][j] * r * g[j];
            }
        }
        return out;
    }

    private double[][] ln(double[][] x, float[] g, float[] b) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double mu = 0;
            for (double v : x[i]) {
                mu += v / x[i].length;
            }
            double var = 0;
            for (double v : x[i]) {
                var += (v - mu) * (v - mu) / x[i].length;
            }
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = (x[i][j] - mu) / Math.sqrt(var + c.normEps()) * g[j] + b[j];
            }
        }
        return out;
    }

    /** torch Linear: W [out, in]. */
    private static double[][] linearOutIn(double[][] x, float[] wt, float[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int e = 0; e < in; e++) {
                    s += x[i][e] * wt[o * in + e];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    /** HF Conv1D: W [in, out]. */
    private static double[][] linearInOut(double[][] x, float[] wt, float[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int e = 0; e < in; e++) {
                    s += x[i][e] * wt[e * out + o];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                y[i][j] = a[i][j] + b[i][j];
            }
        }
        return y;
    }
}
