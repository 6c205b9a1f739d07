import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isPortFree, pickFreePorts } from './free-ports.js';

describe('pickFreePorts', () => {
  it('returns distinct ports that can all be bound afterwards', async () => {
    const ports = await pickFreePorts(6);
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
  });
});

describe('isPortFree', () => {
  it('reports a port someone listens on as taken', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    try {
      expect(await isPortFree(address.port)).toBe(false);
    } finally {
      server.close();
    }
  });
});
