# Keeps of each metrics.jsonl event the fields the health rules read (proto JSON names), so the
# fixture stays a valid (partial) LearnerEvent per line.
import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    out={'step':e['step'],
         'objectives':[{k:o[k] for k in ('name','direction','rawMean','rawStd') if k in o} for o in e['objectives']],
         'kl':{k:e['kl'][k] for k in ('tokenMean','sequenceMean','budget') if k in e['kl']},
         'entropy':{k:e['entropy'][k] for k in ('mean','topK','topKMass') if k in e['entropy']},
         'lengths':{k:e['lengths'][k] for k in ('responseMean','referenceMean') if k in e['lengths']}}
    print(json.dumps(out,separators=(',',':')))
