import { spawn } from 'node:child_process';

// Runs in its own detached node process, so it outlives a crashed (even SIGKILLed) parent.
// argv: parent pid, broker pid, directory to remove ('' for none), stop timeout in ms.
const WATCHDOG_SOURCE = `
const [parent, broker, directory, timeout] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(Number(pid), 0); return true; } catch (error) { return error.code === 'EPERM'; } };
const send = (name) => { try { process.kill(Number(broker), name); } catch {} };
const cleanUp = () => {
  if (directory) { try { require('node:fs').rmSync(directory, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
const timer = setInterval(() => {
  if (!alive(broker)) { clearInterval(timer); process.exit(0); }
  if (alive(parent)) return;
  clearInterval(timer);
  send('SIGTERM');
  const deadline = Date.now() + Number(timeout);
  const wait = setInterval(() => {
    if (alive(broker) && Date.now() < deadline) return;
    clearInterval(wait);
    send('SIGKILL');
    setTimeout(cleanUp, 500);
  }, 100);
}, 500);
`;

/** Options of {@link spawnWatchdog}. */
export interface WatchdogOptions {
  /** The broker JVM to guard. */
  brokerPid: number;
  /** The process whose death means the broker must go; defaults to this process. */
  parentPid?: number;
  /** A directory to delete after killing the broker (the throwaway data directory). */
  removeDirectory?: string;
  /** How long the broker gets for a clean shutdown before SIGKILL. */
  stopTimeoutMs: number;
}

/**
 * Starts a tiny detached watchdog that stops the broker (SIGTERM, then SIGKILL) and removes
 * its data directory as soon as the parent process dies, however it dies. It exits on its own
 * when the broker stops first, so a clean stop leaves nothing behind.
 */
export function spawnWatchdog(options: WatchdogOptions): number | undefined {
  const args = [
    String(options.parentPid ?? process.pid),
    String(options.brokerPid),
    options.removeDirectory ?? '',
    String(options.stopTimeoutMs),
  ];
  const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, ...args], {
    detached: true,
    stdio: 'ignore',
    // A clean environment: no NODE_OPTIONS loaders (tsx, vitest) in a process that needs none.
    env: { PATH: process.env['PATH'] ?? '' },
  });
  child.unref();
  return child.pid;
}
