/** The headers Lenme's clients send, as its document spells them. */
export const LENME_HEADERS = {
  /** The API key. */
  apiKey: 'X-API-KEY',
  /** Whole unix seconds when the request was signed. */
  timestamp: 'X-Timestamp',
  /** Hex HMAC-SHA256(secret, "<timestamp>:<secret>"). */
  hmac: 'X-HMAC',
} as const;
