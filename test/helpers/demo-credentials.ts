import { readFileSync } from 'node:fs';
import type { Credentials } from '@keygate/gateway-config';

/** The bundled demo credentials the gateways use when KEYGATE_CREDENTIALS is unset. */
export const demo: Credentials = JSON.parse(
  readFileSync(new URL('../../examples/gateway-config/demo-credentials.json', import.meta.url), 'utf8'),
);
