import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it('starts a single node by default', () => {
    expect(parseCliArgs(['start'])).toEqual({ command: 'start', nodes: 1 });
  });

  it('reads --nodes, --port and --data-dir as separate or inline values', () => {
    expect(parseCliArgs(['start', '--nodes', '3', '--port=9092', '--data-dir', '/tmp/k'])).toEqual({
      command: 'start',
      nodes: 3,
      port: 9092,
      dataDirectory: '/tmp/k',
    });
  });

  it('rejects a node count other than 1 or 3', () => {
    expect(() => parseCliArgs(['start', '--nodes', '2'])).toThrow(/--nodes must be 1 or 3, not "2"/);
  });

  it('rejects ports that are not TCP ports', () => {
    expect(() => parseCliArgs(['start', '--port', '70000'])).toThrow(/--port needs a TCP port/);
    expect(() => parseCliArgs(['start', '--port'])).toThrow(/--port needs a TCP port/);
  });

  it('rejects unknown options and commands with the usage text', () => {
    expect(() => parseCliArgs(['start', '--brokers', '2'])).toThrow(/Unknown option "--brokers"[\s\S]*Usage: kstreams-kafka/);
    expect(() => parseCliArgs(['restart'])).toThrow(/Unknown command "restart"/);
  });

  it('accepts stop, status and fetch without options only', () => {
    expect(parseCliArgs(['stop'])).toEqual({ command: 'stop' });
    expect(parseCliArgs(['status'])).toEqual({ command: 'status' });
    expect(parseCliArgs(['fetch'])).toEqual({ command: 'fetch' });
    expect(() => parseCliArgs(['stop', '--force'])).toThrow(/"stop" takes no options/);
  });

  it('shows help without a command', () => {
    expect(parseCliArgs([])).toEqual({ command: 'help' });
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
  });
});
