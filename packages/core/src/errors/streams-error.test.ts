import { describe, expect, it } from 'vitest';
import { StreamsError, TaskCorruptedError, TopologyError } from './streams-error.js';

class DamagedFileError extends TaskCorruptedError {}

describe('StreamsError.isInstance', () => {
  it('accepts every kstreams error on StreamsError, nothing else', () => {
    expect(StreamsError.isInstance(new TopologyError('x'))).toBe(true);
    expect(StreamsError.isInstance(new DamagedFileError('x'))).toBe(true);
    expect(StreamsError.isInstance(new Error('x'))).toBe(false);
    expect(StreamsError.isInstance(undefined)).toBe(false);
  });

  it('accepts only the class and its subclasses on a subclass', () => {
    expect(TaskCorruptedError.isInstance(new TaskCorruptedError('x'))).toBe(true);
    expect(TaskCorruptedError.isInstance(new DamagedFileError('x'))).toBe(true);
    expect(TaskCorruptedError.isInstance(new StreamsError('x'))).toBe(false);
    expect(TaskCorruptedError.isInstance(new TopologyError('x'))).toBe(false);
    expect(DamagedFileError.isInstance(new TaskCorruptedError('x'))).toBe(false);
  });

  it('recognizes an error made by another copy of the package by its class names', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('kstreams.error')]: ['CorruptedCheckpointError', 'TaskCorruptedError', 'StreamsError'] });
    expect(TaskCorruptedError.isInstance(foreign)).toBe(true);
    expect(TopologyError.isInstance(foreign)).toBe(false);
    expect(StreamsError.isInstance(foreign)).toBe(true);
  });
});
