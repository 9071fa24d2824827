/** The headers Valiant's clients send, as its document spells them. */
export const VALIANT_HEADERS = {
  id: 'X-AUTH-ID',
  signedKey: 'X-AUTH-SIGNED-KEY',
  contentType: 'Content-Type',
} as const;

/** The one media type Valiant accepts (JSON:API); parameters such as `; charset=utf-8` are tolerated. */
export const VALIANT_MEDIA_TYPE = 'application/vnd.api+json';
