import type { MicroCase } from './case.js';
import { inqudHmac, inqudHmacInline } from './inqud.js';
import { kiiexAuthenticateUser, kiiexSession } from './kiiex.js';
import { lenmeCase } from './lenme.js';
import { valiantCase } from './valiant.js';

/** Every scheme the micro benchmark measures. A new scheme is a MicroCase in its own file plus one entry here. */
export const MICRO_CASES: readonly MicroCase[] = [inqudHmac, inqudHmacInline, valiantCase, lenmeCase, kiiexSession, kiiexAuthenticateUser];
