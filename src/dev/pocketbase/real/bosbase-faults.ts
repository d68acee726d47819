/**
 * A fault of the BosBase release Latchkey's real BosBase tests were checked against (bosbase/bosbase
 * d8bc341, on PostgreSQL 15): said once when that tier runs, and in the note of each test it skips.
 */
export const BOSBASE_TOKEN_CACHE_FAULT =
  'BosBase keeps the record behind every token it has checked for 30 minutes, in a cache nothing clears (core/record_query.go, FindAuthRecordByToken): ' +
  'a token it has seen stays valid for that long after a password or email change, and confirming a password reset, a verification or an email change saves that cached copy as a new record and fails'
