#!/usr/bin/env node
import { runResetCli } from './reset-cli.js';

/** `kstreams-reset`: resets a kstreams application for reprocessing (see `kstreams-reset --help`). */
void runResetCli(process.argv.slice(2), {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
