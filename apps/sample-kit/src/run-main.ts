import { describeError } from 'kstreams';

/**
 * Runs an app's main function and exits the process: 0 when it resolves, 1 when it rejects,
 * after writing `<name> failed: <error with its causes>` to stderr.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${describeError(error)}\n`);
      process.exit(1);
    },
  );
}
