import { describe, expect, it } from 'vitest';
import { Headers } from './headers.js';
import { Record } from './record.js';

const text = (headers: Headers): string[] => [...headers].map((header) => `${header.key}=${new TextDecoder().decode(header.value ?? new Uint8Array())}`);

describe('Headers.clone', () => {
  it('keeps a clone unchanged when the original changes later', () => {
    const original = new Headers({ trace: 'a' });
    const copy = original.clone();
    original.add('extra', 'b');
    original.remove('trace');
    expect(text(copy)).toEqual(['trace=a']);
    expect(text(original)).toEqual(['extra=b']);
  });

  it('keeps the original unchanged when a clone changes', () => {
    const original = new Headers({ trace: 'a' });
    const copy = original.clone();
    copy.add('extra', 'b');
    const second = copy.clone();
    second.remove('trace');
    expect(text(original)).toEqual(['trace=a']);
    expect(text(copy)).toEqual(['trace=a', 'extra=b']);
    expect(text(second)).toEqual(['extra=b']);
  });

  it('gives each derived record headers of its own', () => {
    const record = new Record('k', 'v', 0, new Headers({ trace: 'a' }));
    const derived = record.withValue('w');
    derived.headers.add('step', 'upper');
    expect(record.headers.size).toBe(1);
    expect(derived.headers.size).toBe(2);
  });
});
