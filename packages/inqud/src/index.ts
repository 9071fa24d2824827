export { inqud, INQUD_HEADERS } from './scheme.js';
export { signInqud, inqudSimpleHeaders, type InqudSignInput } from './sign.js';
export type { InqudMode, InqudOptions } from './options.js';
