#!/usr/bin/env node
import { main } from './main.js';

void main(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  isTTY: process.stdout.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
