export { lenme } from './scheme.js';
export { LENME_HEADERS } from './headers.js';
export { LENME_DETAILS, rejectLenme } from './reject.js';
export { signLenme, type LenmeSignInput } from './sign.js';
export { MAX_TIMESTAMP_DIGITS, parseTimestamp } from './timestamp.js';
export { DEFAULT_TOLERANCE_SECONDS, type LenmeOptions } from './options.js';
