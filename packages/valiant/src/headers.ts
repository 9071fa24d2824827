/** The headers Valiant's clients send, as its document spells them. */
export const VALIANT_HEADERS = {
  /** The client uuid. */
  id: 'X-AUTH-ID',
  /** Base64 HMAC-SHA256(secret, key). */
  signedKey: 'X-AUTH-SIGNED-KEY',
  /** Must be `application/vnd.api+json`. */
  contentType: 'Content-Type',
} as const;

/** The one media type Valiant accepts (JSON:API); parameters such as `; charset=utf-8` are tolerated. */
export const VALIANT_MEDIA_TYPE = 'application/vnd.api+json';
