import { describe, expect, it } from 'vitest';
import { parseJavaMajorVersion, parseMavenVersion } from './prerequisites.js';

describe('parseJavaMajorVersion', () => {
  it('reads the feature version of modern Java', () => {
    expect(parseJavaMajorVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment')).toBe(17);
    expect(parseJavaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
  });

  it('reads Java 8 from its 1.x form', () => {
    expect(parseJavaMajorVersion('java version "1.8.0_392"')).toBe(8);
  });

  it('returns undefined for output it does not understand', () => {
    expect(parseJavaMajorVersion('command not found')).toBeUndefined();
  });
});

describe('parseMavenVersion', () => {
  it('reads major and minor, ignoring colour codes', () => {
    expect(parseMavenVersion('\u001b[1mApache Maven 3.8.7\u001b[m\nMaven home: /usr/share/maven')).toEqual([3, 8]);
  });

  it('returns undefined for output it does not understand', () => {
    expect(parseMavenVersion('mvnd 1.0')).toBeUndefined();
  });
});
