import { describe, expect, it } from 'vitest'
import { ancestryLine, auditEntry, commandName, keptCaller, MAX_ANCESTORS } from './audit.ts'

describe('how a caller is named and kept', () => {
  it('names the program a person knows: the binary, or the script a shell or interpreter runs', () => {
    expect(commandName(['/usr/bin/curl', '-s', 'https://api.example.test'])).toBe('curl')
    expect(commandName(['bash', './deploy.sh', '--prod'])).toBe('deploy.sh')
    expect(commandName(['/bin/sh', '-e', '/opt/ci/release.sh'])).toBe('release.sh')
    expect(commandName(['-bash'])).toBe('bash')
    expect(commandName(['/usr/bin/python3.12', '-u', 'tools/sync.py'])).toBe('sync.py')
    expect(commandName(['node', '/home/me/bin/report.mjs'])).toBe('report.mjs')
    // `bash -c '…'` runs text, not a script: the shell it is.
    expect(commandName(['bash', '-c', 'curl -H "Authorization: Bearer $(latchkey token)" …'])).toBe('bash')
    expect(commandName(['sh', '-ec', 'echo'])).toBe('sh')
    expect(commandName(['/usr/bin/bashful', 'x'])).toBe('bashful')
    expect(commandName([])).toBe('an unknown program')
  })

  it('says which processes ran the caller, nearest first, a subshell shown once', () => {
    expect(ancestryLine([{ pid: 10, command: ['bash', './deploy.sh'] }, { pid: 9, command: ['bash', './deploy.sh'] }, { pid: 8, command: ['make', 'deploy'] }])).toBe('bash ./deploy.sh ← make deploy')
    expect(ancestryLine([])).toBe('')
    expect(ancestryLine(undefined)).toBe('')
    expect(ancestryLine([{ pid: 10, command: [] }])).toBe('')
  })

  it('shows the account detail who ran the caller, and never more than was recorded', () => {
    const base = { at: '2026-01-01T00:00:00.000Z', accountId: 'a', command: ['bash', '-c', 'x=$(latchkey token)'], pid: 12, outcome: 'handed-out' as const, kind: 'access' }
    expect(auditEntry({ ...base, ancestors: [{ pid: 11, command: ['bash', './deploy.sh'] }, { pid: 10, command: ['make', 'deploy'] }] })).toEqual({
      at: base.at,
      command: 'bash -c x=$(latchkey token)',
      pid: 12,
      via: 'bash ./deploy.sh ← make deploy',
      outcome: 'handed-out',
      kind: 'access',
    })
    expect(auditEntry(base)).not.toHaveProperty('via')
  })

  it('keeps at most four processes above the caller, each command line cut short', () => {
    const long = 'x'.repeat(500)
    const kept = keptCaller({ pid: 7, command: ['curl', long], ancestors: Array.from({ length: 9 }, (_, i) => ({ pid: 100 - i, command: ['sh', long] })) })
    expect(kept.ancestors).toHaveLength(MAX_ANCESTORS)
    expect(kept.ancestors?.[0]).toEqual({ pid: 100, command: ['sh', `${'x'.repeat(200)}…`] })
    expect(kept.command[1]).toBe(`${'x'.repeat(200)}…`)
    expect(keptCaller({ pid: null, command: [] })).toEqual({ pid: null, command: [] })
  })
})
