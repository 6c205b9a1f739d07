// kafkajs 2.2.4 ships no types for its protocol modules; the runtime uses only these.
declare module 'kafkajs/src/protocol/requests/index.js' {
  const protocol: { readonly requests: { readonly [apiName: string]: unknown } };
  export default protocol;
}
declare module 'kafkajs/src/protocol/requests/apiKeys.js' {
  const apiKeys: { readonly [apiName: string]: number };
  export default apiKeys;
}
