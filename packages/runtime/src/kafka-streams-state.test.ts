import { describe, expect, it } from 'vitest';
import { KafkaStreamsStateMachine, VALID_TRANSITIONS, hasCompletedShutdown, isRunningOrRebalancing, type KafkaStreamsState } from './kafka-streams-state.js';

const ALL_STATES = Object.keys(VALID_TRANSITIONS) as KafkaStreamsState[];

function machineIn(path: KafkaStreamsState[]): KafkaStreamsStateMachine {
  const machine = new KafkaStreamsStateMachine();
  for (const state of path) machine.transitionTo(state);
  return machine;
}

describe('KafkaStreamsStateMachine', () => {
  it('starts in CREATED', () => {
    expect(new KafkaStreamsStateMachine().state).toBe('CREATED');
  });

  it('follows the normal life: start, assign, rebalance, close', () => {
    const seen: string[] = [];
    const machine = new KafkaStreamsStateMachine();
    machine.onStateChange((next, previous) => seen.push(`${previous}->${next}`));
    for (const state of ['REBALANCING', 'RUNNING', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING'] as const) {
      machine.transitionTo(state);
    }
    expect(seen).toEqual([
      'CREATED->REBALANCING',
      'REBALANCING->RUNNING',
      'RUNNING->REBALANCING',
      'REBALANCING->RUNNING',
      'RUNNING->PENDING_SHUTDOWN',
      'PENDING_SHUTDOWN->NOT_RUNNING',
    ]);
  });

  it('goes to ERROR only through PENDING_ERROR', () => {
    const machine = machineIn(['REBALANCING', 'RUNNING']);
    expect(machine.canTransitionTo('ERROR')).toBe(false);
    machine.transitionTo('PENDING_ERROR');
    machine.transitionTo('ERROR');
    expect(machine.state).toBe('ERROR');
  });

  it('rejects a transition Kafka Streams does not allow and names both states', () => {
    const machine = new KafkaStreamsStateMachine();
    expect(() => machine.transitionTo('RUNNING')).toThrow(/from CREATED to RUNNING.*REBALANCING, PENDING_SHUTDOWN/);
    expect(machine.state).toBe('CREATED');
  });

  it('treats NOT_RUNNING and ERROR as final', () => {
    for (const finalState of [machineIn(['PENDING_SHUTDOWN', 'NOT_RUNNING']), machineIn(['REBALANCING', 'PENDING_ERROR', 'ERROR'])]) {
      for (const state of ALL_STATES) expect(finalState.tryTransitionTo(state)).toBe(false);
      expect(() => finalState.transitionTo('PENDING_SHUTDOWN')).toThrow(/it is final/);
    }
  });

  it('lets RUNNING stay RUNNING without telling listeners', () => {
    const machine = machineIn(['REBALANCING', 'RUNNING']);
    let calls = 0;
    machine.onStateChange(() => calls++);
    machine.transitionTo('RUNNING');
    expect(calls).toBe(0);
  });

  it('keeps notifying other listeners when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const machine = new KafkaStreamsStateMachine({ onListenerError: (error) => errors.push(error) });
    const seen: string[] = [];
    machine.onStateChange(() => {
      throw new Error('listener bug');
    });
    machine.onStateChange((next) => seen.push(next));
    machine.transitionTo('REBALANCING');
    expect(seen).toEqual(['REBALANCING']);
    expect(machine.state).toBe('REBALANCING');
    expect(errors).toHaveLength(1);
  });

  it('stops calling a removed listener', () => {
    const machine = new KafkaStreamsStateMachine();
    let calls = 0;
    const remove = machine.onStateChange(() => calls++);
    machine.transitionTo('REBALANCING');
    remove();
    machine.transitionTo('RUNNING');
    expect(calls).toBe(1);
  });
});

describe('state predicates', () => {
  it('report running and completed states', () => {
    expect(ALL_STATES.filter(isRunningOrRebalancing)).toEqual(['REBALANCING', 'RUNNING']);
    expect(ALL_STATES.filter(hasCompletedShutdown)).toEqual(['NOT_RUNNING', 'ERROR']);
  });
});
