import { jsonErrorReply, type Scheme } from '@keygate/core';

/**
 * The gateways' own routes (`GET /healthz`, the 404 fallback) take no credentials, but keep keygate's body rules
 * through this scheme: a body over the limit is a 413 ended with the same bounded lingering close, never read past
 * the limit nor ignored. It authenticates nobody: never mount it in front of anything a vendor scheme protects.
 */
export const openScheme: Scheme<null> = {
  name: 'open',
  readsBody: false,
  verify: async () => ({ principal: null }),
  reject: jsonErrorReply,
};
