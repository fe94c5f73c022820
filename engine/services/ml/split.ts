// Random train/test split of row indices, seeded so a split can be repeated exactly.
import { Random } from '../../core/random.js';

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** A random `testFraction` of the rows (rounded) is held out; 0 keeps every row for training. */
export function trainTestSplit(rows: number, testFraction: number, seed: number): Split {
  if (!(testFraction >= 0 && testFraction < 1)) throw new RangeError(`test fraction must be in [0, 1), got ${testFraction}`);
  const order = Array.from({ length: rows }, (_, i) => i);
  Random.derive(seed, 'train-test-split').shuffle(order);
  const testCount = Math.round(rows * testFraction);
  const test = Int32Array.from(order.slice(0, testCount)).sort();
  const train = Int32Array.from(order.slice(testCount)).sort();
  return { train, test };
}
