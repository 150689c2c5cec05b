import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emailSubjects, userIdEmail } from './user-id.js';

test('userIdEmail follows Go parseUserId', () => {
  const cases = [
    { userId: 'Alice <alice@example.com>', want: 'alice@example.com' },
    { userId: 'Alice (work) <alice@example.com>', want: 'alice@example.com' },
    { userId: 'Alice (a <b@c.d>) <alice@example.com>', want: 'alice@example.com' },
    { userId: 'alice@example.com', want: 'alice@example.com' },
    { userId: 'Alice', want: '' },
    { userId: 'Alice <alice@example.com', want: 'alice@example.com' },
    { userId: 'Alice < alice@example.com >', want: 'alice@example.com' },
  ];
  for (const c of cases) assert.equal(userIdEmail(c.userId), c.want, c.userId);
});

test('emailSubjects keeps valid addresses, lower-cased and de-duplicated', () => {
  const got = emailSubjects(['A <Alice@Example.COM>', 'B <alice@example.com>', 'C <not an email>', 'D <x@localhost>', 'E']);
  assert.deepEqual(got, ['alice@example.com']);
});
