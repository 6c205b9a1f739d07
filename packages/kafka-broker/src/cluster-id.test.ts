import { describe, expect, it } from 'vitest';
import { randomClusterId } from './cluster-id.js';

describe('randomClusterId', () => {
  it('is 16 random bytes in unpadded base64url that never starts with a dash', () => {
    const ids = Array.from({ length: 500 }, randomClusterId);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(500);
  });
});
