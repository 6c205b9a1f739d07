import type { CrashInstances, KillPhase } from './crash-instances.js';

/** One SIGKILL of the crash suite. */
export interface CrashKill {
  readonly instance: number;
  /** What the victim reported doing last (startup, rebalance, restore, processing). */
  readonly phase: KillPhase;
  /** Milliseconds since the kills began. */
  readonly atMs: number;
  /** How long the victim stayed down before it restarted on its state directory. */
  readonly downMs: number;
}

/** Options of {@link killRandomly}. */
export interface KillOptions {
  readonly kills: number;
  /** The kills spread over about this long (plus the victims' down times). */
  readonly windowMs: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

/** How often the next kill hits the instance that just restarted, while it rejoins and restores. */
const QUICK_KILL_PROBABILITY = 0.3;

/**
 * Kills `kills` random instances with SIGKILL at random moments, each restarted on its state
 * directory after 0.5–3 s. About a third of the kills hit the instance restarted last, 0–1.5 s
 * after it started to join the group (during its rebalance or restore); the others hit any running
 * instance, most often while it processes or commits. An instance that exited by itself is
 * restarted before each kill. The same seed gives the same choices (not the same timing).
 */
export async function killRandomly(instances: CrashInstances, options: KillOptions): Promise<CrashKill[]> {
  const random = mulberry32(options.seed);
  const started = Date.now();
  const kills: CrashKill[] = [];
  let lastRestarted: number | undefined;
  for (let kill = 0; kill < options.kills; kill++) {
    const quick = lastRestarted !== undefined && random() < QUICK_KILL_PROBABILITY;
    if (quick) await untilJoining(instances, lastRestarted!, random() * 1_500);
    else await sleep((options.windowMs / options.kills) * (0.5 + random()));
    for (let index = 0; index < instances.count; index++) instances.start(index);
    const running = instances.running();
    const victim = quick && running.includes(lastRestarted!) ? lastRestarted! : running[Math.floor(random() * running.length)]!;
    const atMs = Date.now() - started;
    const phase = await instances.kill(victim);
    const downMs = Math.round(500 + random() * 2_500);
    options.log(`kill ${kill + 1}/${options.kills}: instance ${victim} at ${(atMs / 1000).toFixed(1)} s during ${phase}, down ${downMs} ms`);
    kills.push({ instance: victim, phase, atMs, downMs });
    await sleep(downMs);
    instances.start(victim);
    lastRestarted = victim;
  }
  return kills;
}

/** Waits until a restarted instance has started (it joins the group or restores), then `extraMs` more. */
async function untilJoining(instances: CrashInstances, index: number, extraMs: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (instances.phase(index) === 'startup' && Date.now() < deadline) await sleep(50);
  await sleep(extraMs);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A small deterministic PRNG (mulberry32), so a seed printed by a failing run replays its choices. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
