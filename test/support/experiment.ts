/** A fake scaffolded experiment: spec, experiments/code/SLUG/run.sh and a train.py writing results. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from './components.js';

/** Final metrics by seed; seeds not listed raise in train.py. */
export const SEED_METRICS: Record<number, { accuracy: number; loss: number }> = {
  1: { accuracy: 0.8, loss: 0.5 },
  2: { accuracy: 0.84, loss: 0.4 },
  3: { accuracy: 0.82, loss: 0.45 },
};

const TRAIN_PY = `import argparse, json, os, sys, time
p = argparse.ArgumentParser()
p.add_argument("--seed", type=int, required=True)
p.add_argument("--smoke", action="store_true")
a = p.parse_args()
metrics = ${JSON.stringify(SEED_METRICS)}
print(f"epoch 1/1 seed {a.seed}")
if os.environ.get("SLOW"):
    time.sleep(60)
m = metrics.get(str(a.seed))
if m is None:
    raise RuntimeError(f"no data for seed {a.seed}")
if a.smoke:
    print("smoke ok")
    sys.exit(0)
os.makedirs(f"results/{os.environ['SLUG']}", exist_ok=True)
with open(f"results/{os.environ['SLUG']}/seed_{a.seed}.json", "w") as f:
    json.dump({"slug": os.environ["SLUG"], "seed": a.seed, "status": "completed", "final": m, "best": m, "config": {}, "durationSec": 0.1, "gitCommit": None, "startedAt": "", "endedAt": "", "epochs": 1, "smoke": False}, f)
`;

export function writeExperiment(root: string, slug: string, frontmatter: string): void {
  const code = join(root, 'experiments', 'code', slug);
  mkdirSync(code, { recursive: true });
  writeFileSync(join(root, 'experiments', `${slug}.md`), `---\n${frontmatter}---\n\n# ${slug}\n\nHypothesis text.\n`);
  writeFileSync(join(code, 'train.py'), TRAIN_PY);
  const runSh = `#!/bin/bash
# Fake scaffold run script: SEEDS="1 2" runs each seed; extra args go to train.py.
set -o pipefail
cd "$(dirname "$0")/../../.."
export SLUG=${slug}
mkdir -p logs/${slug}
status=0
for seed in \${SEEDS:-1}; do
  ${SYSTEM_PYTHON} experiments/code/${slug}/train.py --seed "$seed" "$@" 2>&1 | tee logs/${slug}/seed_$seed.log || status=1
done
exit $status
`;
  writeFileSync(join(code, 'run.sh'), runSh);
  chmodSync(join(code, 'run.sh'), 0o755);
}
