/** The headers Lenme's clients send, as its document spells them. */
export const LENME_HEADERS = {
  apiKey: 'X-API-KEY',
  timestamp: 'X-Timestamp',
  hmac: 'X-HMAC',
} as const;
