import { describe, expect, it } from 'vitest';
import { inferInternalTopics, matchesInternalTopicFormat, selectTopicsToDelete } from './internal-topic-names.js';

describe('matchesInternalTopicFormat', () => {
  it('matches changelog, repartition and foreign-key join topics only', () => {
    for (const topic of [
      'app-counts-changelog',
      'app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog',
      'app-KSTREAM-REPARTITION-0000000002-repartition',
      'app-fk-subscription-registration-topic',
      'app-fk-subscription-response-topic',
      'app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic',
      'app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000011-topic',
    ]) {
      expect(matchesInternalTopicFormat(topic), topic).toBe(true);
    }
    for (const topic of ['app-output', 'app-changelog-archive', 'app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-x-topic', 'app-other-topic']) {
      expect(matchesInternalTopicFormat(topic), topic).toBe(false);
    }
  });
});

describe('inferInternalTopics', () => {
  const allTopics = ['app-counts-changelog', 'app-x-repartition', 'app-output', 'application-counts-changelog', 'other-counts-changelog', 'app-in-changelog'];

  it('keeps topics with the application id and a dash as prefix and an internal suffix', () => {
    expect(inferInternalTopics({ applicationId: 'app', allTopics })).toEqual(['app-counts-changelog', 'app-in-changelog', 'app-x-repartition']);
  });

  it('never includes a topic named as input or intermediate topic', () => {
    expect(inferInternalTopics({ applicationId: 'app', allTopics, inputTopics: ['app-in-changelog'], intermediateTopics: ['app-x-repartition'] })).toEqual(['app-counts-changelog']);
  });
});

describe('selectTopicsToDelete', () => {
  const inferred = ['app-a-changelog', 'app-b-changelog'];

  it('deletes every inferred topic by default and a subset when named', () => {
    expect(selectTopicsToDelete(inferred, undefined)).toEqual(inferred);
    expect(selectTopicsToDelete(inferred, [])).toEqual(inferred);
    expect(selectTopicsToDelete(inferred, ['app-b-changelog'])).toEqual(['app-b-changelog']);
  });

  it('refuses a named topic that is not an internal topic of the application', () => {
    expect(() => selectTopicsToDelete(inferred, ['app-output'])).toThrow(/--internal-topics names "app-output", which is not an internal topic of this application \(found: app-a-changelog, app-b-changelog\)/);
  });
});
