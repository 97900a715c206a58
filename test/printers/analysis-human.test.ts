/** The readable analyze report shows the issue-8 findings: call chains, trainer classes, framework objects, library trainers, checkpoint kind, random seeds. */
import type { Analysis } from '../../src/analyze/types.js';
import { formatAnalysis } from '../../src/printers/analysis-human.js';

const base: Analysis = {
  schemaVersion: 1,
  file: 'train.py',
  parseErrors: [],
  framework: { name: 'pytorch', variant: null, evidence: [], objects: [], libraryTrainer: null },
  imports: null,
  config: { kind: 'none', parserVar: null, createdLine: null, parseLine: null, argsVar: null, argsVars: [], arguments: [] },
  trainLoops: [],
  evalPoints: [],
  exitPoints: { mainGuardLine: null, mainGuardEndLine: null, mainFunction: null, mainFunctionLine: null, mainFunctionEndLine: null, sysExitLines: [], returnLines: [], moduleLevel: true },
  existing: {
    wandb: { present: false, lines: [] },
    seed: { present: false, lines: [], randomDefault: false, randomDefaultLine: null },
    checkpoint: { present: false, lines: [], kind: null, library: null },
  },
  distributed: { present: false, lines: [] },
};
const lookup = (line: number) => `<line ${line}>`;

describe('formatAnalysis', () => {
  test('a class-based trainer: the chain to the step and the methods', () => {
    const text = formatAnalysis(
      {
        ...base,
        trainLoops: [
          {
            kind: 'for', line: 57, endLine: 58, function: 'Trainer._run_epoch',
            stepMarkers: [{ line: 49, kind: 'backward', text: 'loss.backward()' }],
            outer: { line: 68, endLine: 71, function: 'Trainer.train' },
            via: [{ function: 'Trainer._run_batch', line: 45, callLine: 58 }],
            className: 'Trainer', methods: ['train', '_run_epoch', '_run_batch'],
          },
        ],
      },
      lookup,
    );
    expect(text).toContain('  training (best): for loop, lines 57–58 in Trainer._run_epoch()\n');
    expect(text).toContain('    step reached through Trainer._run_batch() (called at line 58, defined at line 45)\n');
    expect(text).toContain('    trainer class Trainer: train() → _run_epoch() → _run_batch()\n');
  });

  test('framework objects, a library trainer, the checkpoint kind and a random seed default', () => {
    const text = formatAnalysis(
      {
        ...base,
        framework: {
          ...base.framework,
          objects: [{ role: 'training-arguments', callee: 'trl.SFTConfig', line: 68, endLine: 68, variable: 'training_args', function: null }],
          libraryTrainer: {
            variable: 'trainer', callee: 'mingpt.trainer.Trainer', module: 'mingpt.trainer', line: 78, runLine: 98, function: null,
            callbacks: [{ method: 'set_callback', event: 'on_batch_end', callback: 'batch_end_callback', line: 96 }],
          },
        },
        existing: {
          wandb: { present: false, lines: [] },
          seed: { present: true, lines: [37], randomDefault: true, randomDefaultLine: 35 },
          checkpoint: { present: true, lines: [120], kind: 'weights-export', resumes: false, library: 'orbax' },
        },
      },
      lookup,
    );
    expect(text).toContain('<line 68>    ← training-arguments trl.SFTConfig, bound to `training_args`\n');
    expect(text).toContain('  library trainer: `trainer` (mingpt.trainer.Trainer, line 78); its training loop lives in mingpt.trainer, run at line 98\n');
    expect(text).toContain('<line 96>    ← callback set_callback on_batch_end → batch_end_callback\n');
    expect(text).toContain('seed yes (line 37), random unless given (line 35); checkpoint yes (line 120) weights export only, never resumed, library orbax\n');
  });
});
