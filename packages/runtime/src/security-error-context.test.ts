import { describe, expect, it } from 'vitest';
import { wordCountTopology } from './internal/testing/word-count-topology.js';
import { securityErrorContext } from './security-error-context.js';
import { StreamsConfig } from './streams-config.js';

describe('securityErrorContext', () => {
  it("names the application's user, mechanism, input, output and changelog topics", () => {
    const config = new StreamsConfig({ applicationId: 'wc', bootstrapServers: 'localhost:9092', sasl: { mechanism: 'plain', username: 'app', password: 'app-pw' } });
    const context = securityErrorContext(config, wordCountTopology('lines', 'counts').build(), 'starting');
    expect(context).toEqual({
      applicationId: 'wc',
      username: 'app',
      mechanism: 'plain',
      inputTopics: ['lines'],
      outputTopics: ['counts'],
      topics: ['lines', 'counts', 'wc-counts-changelog'],
      operation: 'starting',
    });
    expect(JSON.stringify(context)).not.toContain('app-pw');
  });
});
