import fc from 'fast-check';
import { inject } from 'vitest';
import { runs } from './runs.js';

const seed = inject('fcSeed');
fc.configureGlobal({
  seed,
  numRuns: runs(40),
  // Failure reports then carry the seed and path needed to replay the counterexample.
  verbose: 1,
});
