import type { BrokerNode } from './broker-node.js';
import { isAlive } from './process-control.js';
import type { SASLOptions } from 'kafkajs';
import { waitForKafka } from './readiness.js';

/** Resolves when any of the nodes' JVMs exits, naming the node; polled every 200 ms. */
function firstExit(nodes: readonly BrokerNode[], signal: AbortSignal): Promise<BrokerNode> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const dead = nodes.find((node) => node.pid === undefined);
      if (dead !== undefined) {
        clearInterval(timer);
        resolve(dead);
      }
    }, 200);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  });
}

/**
 * Spawns the given nodes (default: all) and waits until the whole cluster answers. Fails
 * fast, with the failing node's log tail, when a JVM exits during startup; on timeout the
 * error carries the log tail of the first node.
 */
export async function startNodes(all: readonly BrokerNode[], timeoutMs: number, toStart: readonly BrokerNode[] = all, sasl?: SASLOptions): Promise<void> {
  for (const node of toStart) node.start();
  const controller = new AbortController();
  const ready = waitForKafka({
    brokers: all.map((node) => node.address),
    expectedBrokerCount: all.length,
    timeoutMs,
    signal: controller.signal,
    ...(sasl === undefined ? {} : { sasl }),
  }).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const exited = firstExit(toStart, controller.signal).then((node) => ({ node }));
  const outcome = await Promise.race([ready, exited]);
  controller.abort();
  if (outcome === undefined) return;
  if ('node' in outcome) throw await outcome.node.startError('exited during startup');
  const failing = all.find((node) => node.pid === undefined || !isAlive(node.pid)) ?? all[0];
  if (failing === undefined) throw outcome.error;
  throw await failing.startError(`did not answer within ${timeoutMs} ms`, outcome.error);
}
