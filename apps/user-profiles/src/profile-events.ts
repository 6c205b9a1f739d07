/**
 * The profile events of the user-profiles sample, in two schema versions. Producers of the old
 * schema (v1) are still around, so the topic holds both; the app reads v1 events as v2
 * (upcast on read) and folds only v2.
 */

/** A person's name as v2 keeps it. */
export interface PersonName {
  readonly first: string;
  readonly last: string;
}

/** Schema v1 (legacy): one `fullName` field, no country. */
export type ProfileEventV1 =
  | { readonly schema: 1; readonly userId: string; readonly seq: number; readonly type: 'UserRegistered'; readonly fullName: string; readonly email: string }
  | { readonly schema: 1; readonly userId: string; readonly seq: number; readonly type: 'NameChanged'; readonly fullName: string }
  | { readonly schema: 1; readonly userId: string; readonly seq: number; readonly type: 'EmailChanged'; readonly email: string };

/** Schema v2 (current): a structured name, a country, deletion. */
export type ProfileEventV2 =
  | { readonly schema: 2; readonly userId: string; readonly seq: number; readonly type: 'UserRegistered'; readonly name: PersonName; readonly email: string; readonly country: string | null }
  | { readonly schema: 2; readonly userId: string; readonly seq: number; readonly type: 'NameChanged'; readonly name: PersonName }
  | { readonly schema: 2; readonly userId: string; readonly seq: number; readonly type: 'EmailChanged'; readonly email: string }
  | { readonly schema: 2; readonly userId: string; readonly seq: number; readonly type: 'CountryChanged'; readonly country: string }
  | { readonly schema: 2; readonly userId: string; readonly seq: number; readonly type: 'UserDeleted' };

/** Either version, as found on the topic. */
export type AnyProfileEvent = ProfileEventV1 | ProfileEventV2;

/** What the app folds: every event as v2. */
export type ProfileEvent = ProfileEventV2;

/** Splits a v1 full name at its first space: `"Ada King Lovelace"` → `{ first: 'Ada', last: 'King Lovelace' }`. */
export function splitFullName(fullName: string): PersonName {
  const trimmed = fullName.trim();
  const space = trimmed.indexOf(' ');
  return space < 0 ? { first: trimmed, last: '' } : { first: trimmed.slice(0, space), last: trimmed.slice(space + 1).trim() };
}

/** Reads a v1 event as v2: the full name split into first and last, no country. v2 events pass as they are. */
export function upcast(event: AnyProfileEvent): ProfileEvent {
  if (event.schema === 2) return event;
  const { userId, seq } = event;
  switch (event.type) {
    case 'UserRegistered':
      return { schema: 2, userId, seq, type: 'UserRegistered', name: splitFullName(event.fullName), email: event.email, country: null };
    case 'NameChanged':
      return { schema: 2, userId, seq, type: 'NameChanged', name: splitFullName(event.fullName) };
    case 'EmailChanged':
      return { schema: 2, userId, seq, type: 'EmailChanged', email: event.email };
  }
}

type Fields = { readonly [field: string]: unknown };
const isText = (value: unknown): value is string => typeof value === 'string';
const isName = (value: unknown): value is PersonName => typeof value === 'object' && value !== null && isText((value as Fields)['first']) && isText((value as Fields)['last']);

/** The reason `value` is not a profile event of either version, or undefined when it is one. */
export function profileEventProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const event = value as Fields;
  if (!isText(event['userId']) || event['userId'] === '') return 'no userId';
  if (!Number.isSafeInteger(event['seq']) || (event['seq'] as number) < 1) return 'seq is not a positive integer';
  const fields = event['schema'] === 1 ? V1_FIELDS : event['schema'] === 2 ? V2_FIELDS : undefined;
  if (fields === undefined) return `unknown schema ${JSON.stringify(event['schema'])} (expected 1 or 2)`;
  const check = fields[String(event['type'])];
  if (check === undefined) return `unknown type ${JSON.stringify(event['type'])} for schema ${String(event['schema'])}`;
  return check(event) ? undefined : `a ${String(event['type'])} event of schema ${String(event['schema'])} with missing or wrong fields`;
}

const V1_FIELDS: { readonly [type: string]: (event: Fields) => boolean } = {
  UserRegistered: (event) => isText(event['fullName']) && isText(event['email']),
  NameChanged: (event) => isText(event['fullName']),
  EmailChanged: (event) => isText(event['email']),
};

const V2_FIELDS: { readonly [type: string]: (event: Fields) => boolean } = {
  UserRegistered: (event) => isName(event['name']) && isText(event['email']) && (event['country'] === null || isText(event['country'])),
  NameChanged: (event) => isName(event['name']),
  EmailChanged: (event) => isText(event['email']),
  CountryChanged: (event) => isText(event['country']),
  UserDeleted: () => true,
};
