/**
 * The number of runs of a property test: FC_RUNS when it is set, else the test's own default. A
 * property that passes `{ numRuns: runs(15) }` keeps its default of 15 in a plain run and follows
 * FC_RUNS like every other property (a hard-coded numRuns would override the global setting).
 */
export function runs(defaultRuns: number): number {
  const fromEnv = process.env.FC_RUNS;
  if (fromEnv == null || fromEnv.trim() === '') return defaultRuns;
  const n = Number(fromEnv);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`FC_RUNS must be a positive integer, got ${JSON.stringify(fromEnv)}`);
  return n;
}
