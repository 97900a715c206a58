import { closestName, editDistance, likelyTypoOf } from '../../src/core/closest.js';

describe('edit distance and the closest name', () => {
  test('insertions, deletions, substitutions and neighbour swaps cost one each', () => {
    expect(editDistance('metrics', 'metrics')).toBe(0);
    expect(editDistance('metircs', 'metrics')).toBe(1);
    expect(editDistance('baselin', 'baseline')).toBe(1);
    expect(editDistance('hyperparamters', 'hyperparameters')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('a name sharing a word wins over a shorter edit', () => {
    expect(closestName('hidden', ['lr', 'epochs', 'hidden_size', 'dropout'])).toBe('hidden_size');
    expect(closestName('drop', ['lr', 'dropout', 'epochs'])).toBe('dropout');
    expect(closestName('learning_rate', ['lr', 'epochs'])).toBe('lr');
    expect(closestName('x', [])).toBeNull();
  });

  test('only close names count as typos', () => {
    const top = ['title', 'metrics', 'baseline', 'seeds', 'hyperparameters', 'run'];
    expect(likelyTypoOf('metircs', top)).toBe('metrics');
    expect(likelyTypoOf('baselin', top)).toBe('baseline');
    expect(likelyTypoOf('hyperparamters', top)).toBe('hyperparameters');
    expect(likelyTypoOf('Title', top)).toBe('title');
    expect(likelyTypoOf('owner', top)).toBeNull();
    expect(likelyTypoOf('notes', top)).toBeNull();
    expect(likelyTypoOf('seeds', top)).toBeNull();
  });
});
