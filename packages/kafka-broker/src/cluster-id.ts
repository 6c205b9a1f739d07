import { randomBytes } from 'node:crypto';

/**
 * A fresh KRaft cluster id: 16 random bytes, base64url without padding (Kafka's `Uuid`
 * string form). Like Kafka, never starts with `-`, which command lines would read as an option.
 */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
