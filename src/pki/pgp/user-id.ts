/**
 * Email addresses of OpenPGP user IDs as Rekor indexes them: the address is taken from the user
 * ID text the way Go's packet.parseUserId does (between `<` and `>`, or a bare `user@host` id),
 * kept only when it is syntactically an email address, and lower-cased for the index.
 */

// A conservative RFC 5322 dot-atom address with a dotted DNS-like domain (govalidator's IsEmail
// accepts a superset; anything rejected here would not be a useful index key anyway).
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_EMAIL_LENGTH = 254;

/** The email part of a user ID, following Go's parseUserId: `name (comment) <email>`. */
export function userIdEmail(userId: string): string {
  const paren = userId.indexOf('(');
  const angle = userId.indexOf('<');
  let open = angle;
  if (paren >= 0 && (angle < 0 || paren < angle)) {
    // A comment comes first: the address, if any, starts after it closes.
    const close = userId.indexOf(')', paren + 1);
    open = close < 0 ? -1 : userId.indexOf('<', close + 1);
  }
  if (open >= 0) {
    const end = userId.indexOf('>', open + 1);
    return userId.slice(open + 1, end < 0 ? userId.length : end).trim();
  }
  const nameEnd = [paren, angle].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), userId.length);
  const name = userId.slice(0, nameEnd).trim();
  // RFC 2822 §3.4's bare mailbox form: a name that is an address is the address.
  return name.includes('@') ? name : '';
}

export function isEmailAddress(candidate: string): boolean {
  return candidate.length <= MAX_EMAIL_LENGTH && EMAIL.test(candidate);
}

/** Valid, lower-cased, de-duplicated addresses, in user-ID order. */
export function emailSubjects(userIds: readonly string[]): string[] {
  const subjects = new Set<string>();
  for (const userId of userIds) {
    const email = userIdEmail(userId);
    if (isEmailAddress(email)) subjects.add(email.toLowerCase());
  }
  return [...subjects];
}
