export { valiant } from './scheme.js';
export { VALIANT_HEADERS, VALIANT_MEDIA_TYPE } from './headers.js';
export { rejectValiant } from './reject.js';
export { signValiant, type ValiantSignInput } from './sign.js';
export type { ValiantCredential, ValiantOptions } from './options.js';
