import { commandForSeed, parseSeeds, slurmResources } from '../../src/launch/options.js';

describe('launch options', () => {
  test('seeds', () => {
    expect(parseSeeds('1,2,3')).toEqual([1, 2, 3]);
    expect(parseSeeds(undefined)).toEqual([]);
    expect(() => parseSeeds('1,1')).toThrow(/repeats/);
    expect(() => parseSeeds('1;2')).toThrow(/invalid --seeds/);
    // Beyond 2^53 Number() rounds (to 100000000000000000000); beyond 2^32-1 numpy refuses the seed.
    expect(() => parseSeeds('99999999999999999999')).toThrow('invalid seed 99999999999999999999 in --seeds: a seed is an integer from 0 to 4294967295');
    expect(() => parseSeeds('1,4294967296')).toThrow(/invalid seed 4294967296/);
    expect(parseSeeds('0,4294967295,007')).toEqual([0, 4294967295, 7]);
  });
  test('the seed reaches the command as --seed N or through a $SEED placeholder', () => {
    expect(commandForSeed(['python', 't.py'], 4, true)).toEqual(['python', 't.py', '--seed', '4']);
    expect(commandForSeed(['python', 't.py', '--rng=$SEED', 'out/{seed}'], 4, true)).toEqual(['python', 't.py', '--rng=4', 'out/4']);
    expect(commandForSeed(['bash', 'run.sh'], 4, false)).toEqual(['bash', 'run.sh']);
    expect(commandForSeed(['x'], null, true)).toEqual(['x']);
  });
  test("SLURM resources: flags override the spec's setup.hardware", () => {
    expect(slurmResources({ gpus: 2, cpus: 8, memory: '32G', time: '2:00:00', partition: 'a100' }, {}, null)).toEqual({ partition: 'a100', gres: 'gpu:2', cpusPerTask: 8, mem: '32G', time: '2:00:00' });
    expect(slurmResources({ gpus: 2 }, { gres: 'gpu:a100:1', partition: 'p' }, null)).toMatchObject({ gres: 'gpu:a100:1', partition: 'p' });
    expect(slurmResources(undefined, {}, 3).gres).toBe('gpu:3');
  });
});
