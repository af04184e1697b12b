import fc from 'fast-check';
import { inject } from 'vitest';

const seed = inject('fcSeed');
fc.configureGlobal({
  seed,
  numRuns: Number(process.env.FC_RUNS ?? 40),
  // Failure reports then carry the seed and path needed to replay the counterexample.
  verbose: 1,
});

