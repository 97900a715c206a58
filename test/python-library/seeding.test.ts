/** Seeding, run for real: the same seed gives the same draws from every generator it seeds. */
import { JAX_SEED_EVERYTHING, seedEverything } from '../../src/python-library/seeding.js';
import { describeWith, pythonHas } from '../support/components.js';
import { runLibrary } from '../support/python-library.js';

describeWith('torch on /usr/bin/python3 (python3-torch)', pythonHas('torch'))('seed_everything (torch)', () => {
  test('same seed, same draws from python, numpy and torch; PYTHONHASHSEED set; deterministic mode switched on', () => {
    const out = runLibrary([seedEverything(true)], `import os, random
import numpy, torch
def draw():
    return (random.random(), float(numpy.random.rand()), float(torch.rand(1)))
seed_everything(3)
a = draw()
assert not torch.are_deterministic_algorithms_enabled()
seed_everything(3, deterministic=True)
b = draw()
assert torch.are_deterministic_algorithms_enabled() and torch.backends.cudnn.deterministic
seed_everything(4)
c = draw()
assert a == b, (a, b)
assert a[0] != c[0] and a[1] != c[1] and a[2] != c[2]
assert os.environ["PYTHONHASHSEED"] == "4"
print("ok")`);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok\n');
  });
});

describeWith('numpy on /usr/bin/python3', pythonHas('numpy'))('seed_everything (JAX scripts)', () => {
  test('seeds Python and NumPy, never imports torch', () => {
    const out = runLibrary([JAX_SEED_EVERYTHING], `import random, sys
import numpy
seed_everything(5)
a = (random.random(), float(numpy.random.rand()))
seed_everything(5)
assert a == (random.random(), float(numpy.random.rand()))
print("torch" in sys.modules)`);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('False\n');
  });
});
