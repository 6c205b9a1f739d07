import { createServer } from 'node:net';

/**
 * A loopback port free right now. An instance's `applicationServer` must be known before
 * KafkaStreams is built (it is part of the group's metadata), and the query server listens
 * there afterwards: this picks the port first.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('Could not find a free loopback port.');
  return address.port;
}
