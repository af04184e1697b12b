#!/usr/bin/env node
import { handleSignals } from './_internal/signals.js';
import { main } from './main.js';

const stop = new AbortController();
handleSignals(
  stop,
  (code) => process.exit(code),
  (line) => console.error(line),
);

// A closed stdout (`| head`) means nobody reads on: end quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

void main(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  isTTY: process.stdout.isTTY === true,
  stop: stop.signal,
}).then((code) => {
  process.exitCode = code;
});
