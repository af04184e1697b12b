import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    fcSeed: number;
  }
}

/** Chooses one fast-check seed for the whole run (FC_SEED replays a run) and prints it. */
export default function setup(project: TestProject): void {
  const fromEnv = process.env.FC_SEED;
  const seed = fromEnv != null && fromEnv !== '' ? Number(fromEnv) : Date.now() % 2_147_483_647;
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(fromEnv)}`);
  console.log(`fast-check seed: ${seed} (replay with FC_SEED=${seed})`);
  project.provide('fcSeed', seed);
}
