#!/usr/bin/env node
import { runResetCli } from '@kstreams/reset';

/** `kstreams-reset` from the umbrella package: the same CLI as `@kstreams/reset`'s. */
void runResetCli(process.argv.slice(2), {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
