/** What the templates render: file sets, requirements that match the imports, config.yaml round trips. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderScaffold } from '../../src/scaffold/index.js';
import { resolveScaffoldConfig } from '../../src/scaffold/resolve.js';
import { FRAMEWORKS } from '../../src/scaffold/types.js';
import { SYSTEM_PYTHON, describeWith, pythonHas } from '../support/components.js';
import { hostileSpecData, tempDir, writeScaffold } from '../support/scaffold.js';

const py = (args: string[]) => spawnSync(SYSTEM_PYTHON, args, { encoding: 'utf8' });

describe('renderScaffold', () => {
  test.each([
    ['pytorch', ['train.py', 'data.py', 'model.py', 'metrics.py', 'helpers.py', 'config.yaml', 'run.sh', 'requirements.txt']],
    ['lightning', ['train.py', 'data.py', 'model.py', 'metrics.py', 'helpers.py', 'config.yaml', 'run.sh', 'requirements.txt']],
    ['hf-trainer', ['train.py', 'data.py', 'metrics.py', 'helpers.py', 'config.yaml', 'run.sh', 'requirements.txt']],
  ])('%s writes its files; only scripts are executable', (framework, paths) => {
    const files = renderScaffold(resolveScaffoldConfig({ slug: 'e', framework, spec: null }));
    expect(files.map((f) => f.path)).toEqual(paths);
    expect(files.filter((f) => f.mode === 0o755).map((f) => f.path)).toEqual(['train.py', 'run.sh']);
  });

  test('the templates follow their frameworks\' conventions', () => {
    const train = (framework: string) => renderScaffold(resolveScaffoldConfig({ slug: 'e', framework, spec: null }))[0].content;
    expect(train('hf-trainer')).toMatch(/TrainingArguments\(/);
    expect(train('hf-trainer')).toMatch(/Trainer\(/);
    expect(train('hf-trainer')).toMatch(/resume_from_checkpoint=/);
    expect(train('lightning')).toMatch(/class Classifier\(L\.LightningModule\)/);
    expect(train('lightning')).toMatch(/ModelCheckpoint\(/);
    expect(train('lightning')).toMatch(/L\.seed_everything\(args\.seed, workers=True\)/);
    expect(train('pytorch')).toMatch(/seed_everything\(args\.seed, args\.deterministic\)/);
    // the model's initial weights follow the seed: seeding comes before the model is built
    const hf = train('hf-trainer');
    expect(hf.indexOf('set_seed(args.seed)')).toBeGreaterThan(0);
    expect(hf.indexOf('set_seed(args.seed)')).toBeLessThan(hf.indexOf('model=build_model(args)'));
    const lightning = train('lightning');
    expect(lightning.indexOf('L.seed_everything(')).toBeLessThan(lightning.indexOf('module = Classifier('));
  });

  test('run.sh passes each seed as --seed N, forwards extra args and tees to logs/SLUG/seed_N.log', () => {
    const run = renderScaffold(resolveScaffoldConfig({ slug: 'e', spec: null })).find((f) => f.path === 'run.sh')!.content;
    expect(run).toMatch(/^set -euo pipefail$/m);
    expect(run).toContain('--seed "$seed" "$@" 2>&1 | tee -a "$log"');
    expect(run).toContain('log="logs/$slug/seed_$seed.log"');
  });
});

describeWith('python3 (/usr/bin/python3)', pythonHas('ast'))('requirements.txt', () => {
  const localModules = ['data', 'model', 'metrics', 'helpers'];
  const pipName: Record<string, string> = { yaml: 'pyyaml' };
  test.each(FRAMEWORKS)('%s lists exactly the third-party modules its code imports', (framework) => {
    const dir = writeScaffold(tempDir(), { slug: 'req', framework, spec: null });
    const script = `import ast, sys
found = set()
for path in sys.argv[1:]:
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module.split(".")[0])
print(" ".join(sorted(m for m in found if m not in sys.stdlib_module_names)))`;
    const files = ['train.py', 'data.py', 'metrics.py', 'helpers.py', ...(framework === 'hf-trainer' ? [] : ['model.py'])];
    const out = py(['-c', script, ...files.map((f) => join(dir, f))]);
    expect(out.status).toBe(0);
    const imported = out.stdout.trim().split(' ').filter((m) => !localModules.includes(m)).map((m) => pipName[m] ?? m);
    const lines = readFileSync(join(dir, 'requirements.txt'), 'utf8').split('\n');
    const required = lines.filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/[<>=].*$/, ''));
    // wandb is imported only inside the code that --wandb runs (never at the top of a module)
    // and listed as optional; lightning's WandbLogger and the HF Trainer import it themselves.
    if (framework === 'pytorch') expect(imported).toContain('wandb');
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/^(import wandb|from wandb|from lightning\.pytorch\.loggers)/m);
    expect(lines).toContain('# wandb');
    const hfExtra = framework === 'hf-trainer' ? ['accelerate'] : [];
    expect(required.sort()).toEqual([...imported.filter((m) => m !== 'wandb'), ...hfExtra].sort());
  });
});

describeWith('PyYAML on /usr/bin/python3', pythonHas('yaml'))('config.yaml and train.py flags', () => {
  const marker = join(tempDir(), 'pwned');
  const data = hostileSpecData(marker);
  const dir = writeScaffold(tempDir(), { slug: 'cfg', framework: 'hf-trainer', spec: { path: 'x.md', data, frontmatterLine: 2 } });
  // Build train.py's parser from helpers.py and train.py's HYPERPARAMETERS, without importing
  // transformers: the same code path train.py runs.
  const script = `import ast, json, sys
sys.path.insert(0, sys.argv[1])
import helpers
tree = ast.parse(open(sys.argv[1] + "/train.py").read())
defaults = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "HYPERPARAMETERS")
parser = helpers.base_parser("t", "cfg")
helpers.add_hyperparameters(parser, defaults)
args, file_config = helpers.parse_with_config(parser, sys.argv[2:])
print(json.dumps({"args": vars(args), "file": file_config}, default=str))`;
  const parse = (...flags: string[]) => {
    const out = py(['-c', script, dir, '--config', join(dir, 'config.yaml'), ...flags]);
    expect(out.stderr).toBe('');
    return JSON.parse(out.stdout) as { args: Record<string, unknown>; file: Record<string, any> };
  };

  test('PyYAML reads back every value exactly, hostile text included', () => {
    const { args, file } = parse();
    expect(args.note).toBe((data.hyperparameters as Record<string, unknown>).note);
    expect(args.tag).toBe('it\'s "quoted" \\ back');
    expect(args.tiny_lr).toBe(1e-7);
    expect(args.model_name_or_path).toBe((data.setup as Record<string, unknown>).model);
    expect(file.experiment.title).toBe(data.title);
    expect(file.experiment.extra.unknown_field).toBe(data.unknown_field);
    expect(file.seeds).toEqual([1, 2, 3]);
    expect(file.metrics).toEqual({ accuracy: 'max', loss: 'min' });
  });

  test('config values are the defaults and flags override them', () => {
    const { args } = parse('--epochs', '7', '--lr', '0.5', '--note', 'plain');
    expect(args).toMatchObject({ epochs: 7, lr: 0.5, note: 'plain', batch_size: 32 });
  });

  test('an unknown hyperparameter in config.yaml is an error naming it', () => {
    const cfg = join(dir, 'config.yaml');
    const bad = join(tempDir(), 'bad.yaml');
    spawnSync('sh', ['-c', 'cat "$1" > "$2" && printf "  nonsense: 1\\n" >> "$2"', 'sh', cfg, bad]);
    const out = py(['-c', script, dir, '--config', bad]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain("unknown hyperparameter 'nonsense'");
  });
});
