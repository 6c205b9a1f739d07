import { SerializationError, Serdes, type Serde } from 'kstreams';
import { profileEventProblem, upcast, type AnyProfileEvent, type ProfileEvent } from './profile-events.js';

const json = Serdes.json<unknown>();

/**
 * The value serde of the `profile-events` topic: deserializing parses JSON, checks the event
 * against its schema version and upcasts v1 to v2, so processors only ever see v2. A record that
 * is not JSON or not a valid event of either version fails with a `SerializationError` naming
 * the topic and the problem (the runtime's deserialization handler decides what happens next:
 * with `dlqTopic` set, it goes to the dead-letter topic). Serializing writes the event as given.
 */
export const profileEventSerde: Serde<ProfileEvent | null> = {
  serialize: (topic, event) => json.serialize(topic, event),
  deserialize(topic, data) {
    const value = json.deserialize(topic, data);
    if (value === null) return null;
    const problem = profileEventProblem(value);
    if (problem !== undefined) {
      throw new SerializationError(`Cannot read a profile event from topic "${topic}": ${problem}. Write events of schema 1 or 2 (see apps/user-profiles/src/profile-events.ts).`);
    }
    return upcast(value as AnyProfileEvent);
  },
};
