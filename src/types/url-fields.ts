/**
 * Where a proposed entry may name its content by `url` instead of sending it inline: the
 * `{url}`/`{content}` objects of the kinds that had them before Rekor v0.7.0 removed server-side
 * fetching. Only a server started with an allowlist of hosts fetches them (src/server/url-fetch.ts);
 * otherwise each kind refuses a `url` member with a 400. The fetched bytes replace the `url` as
 * `content`, so the canonical body is the same as for an inline submission.
 */
export const URL_FIELDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  rekord: [['data'], ['signature'], ['signature', 'publicKey']],
  rpm: [['package'], ['publicKey']],
  jar: [['archive']],
  alpine: [['package'], ['publicKey']],
  helm: [['publicKey'], ['chart', 'provenance']],
  tuf: [['metadata'], ['root']],
};
