import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { crc32 } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { newestVersionText, decodeAccountFile, jsCrc32, SLOT_HEADER_BYTES, slotBytes, slotOffset } from './account-file-format.ts'
import { accountFileJson } from '../core/accounts/account-file.ts'
import { AccountStore } from '../core/accounts/account-store.ts'
import { recordingLogger } from '../core/testing/recording-logger.ts'
import { accountFileBytes, accountFiles, OPEN_FILE_IDLE_MS, OPEN_FILES_MAX } from './account-files.ts'

let dir: string
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'latchkey-accounts-')), 'accounts')
})
afterEach(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true })
})

describe('account files', () => {
  it('writes each account to its own 0600 file and reads them all back', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    await files.write('a1', '{"n":2}')
    await files.write('b2', '{"n":3}')
    expect(statSync(join(dir, 'a1.json')).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(new Map(accountFiles(dir).readAll())).toEqual(new Map([['a1', '{"n":2}'], ['b2', '{"n":3}']]))
    await files.remove('a1')
    expect([...new Map(accountFiles(dir).readAll()).keys()]).toEqual(['b2'])
  })

  it('reads back a file too large for the shared read room (100 KB) whole, and the small files read around it', async () => {
    const files = accountFiles(dir)
    const large = JSON.stringify({ n: 'x'.repeat(100_000) + 'end' })
    await files.write('a-small', '{"n":"small a"}')
    await files.write('b-large', large)
    await files.write('c-small', '{"n":"small c"}')
    const read = accountFiles(dir)
    expect(new Map(read.readAll())).toEqual(new Map([['a-small', '{"n":"small a"}'], ['b-large', large], ['c-small', '{"n":"small c"}']]))
    expect(read.read?.('b-large')).toBe(large)
    expect(read.read?.('c-small')).toBe('{"n":"small c"}')
    expect(read.read?.('missing')).toBeNull()
  })

  it('keeps ids that are not plain file names apart and readable', async () => {
    const files = accountFiles(dir)
    await files.write('../escape', 'x')
    await files.write('x-looks-encoded', 'y')
    expect(readdirSync(dir).every((name) => !name.includes('/') && name.endsWith('.json'))).toBe(true)
    expect(new Map(accountFiles(dir).readAll())).toEqual(new Map([['../escape', 'x'], ['x-looks-encoded', 'y']]))
  })

  it('a write that fails leaves no temporary file behind and says so', async () => {
    const files = accountFiles(dir)
    // The account's file cannot be replaced: a folder with something in it is in its place.
    mkdirSync(join(dir, 'a1.json'))
    writeFileSync(join(dir, 'a1.json', 'keep'), 'x')
    await expect(files.write('a1', 'new')).rejects.toThrow()
    await expect(files.write('a1', 'new', { durable: false })).rejects.toThrow()
    expect(readdirSync(dir)).toEqual(['a1.json'])
    await files.write('b2', 'fine', { durable: false })
    expect(accountFiles(dir).read?.('b2')).toBe('fine')
  })

  it('drops the temporary file of a write a crash interrupted, keeping the account’s last whole file', async () => {
    const files = accountFiles(dir)
    await files.write('a1', 'whole')
    writeFileSync(join(dir, '.0123456789ab.tmp'), 'half')
    expect(new Map(accountFiles(dir).readAll())).toEqual(new Map([['a1', 'whole']]))
    expect(readdirSync(dir)).toEqual(['a1.json'])
    expect(accountFiles(dir).read?.('a1')).toBe('whole')
  })
})

describe('account files written in place (two slots)', () => {
  const path = (id: string): string => join(dir, `${id}.json`)
  /** Overwrites `count` bytes of the file at `at` (a write the disk or a kill cut short). */
  const damage = (id: string, at: number, bytes: Buffer): void => {
    const whole = readFileSync(path(id))
    bytes.copy(whole, at)
    writeFileSync(path(id), whole)
  }
  const slotStart = (id: string, slot: number): number => {
    const found = decodeAccountFile(readFileSync(path(id)))
    if (!found || found.legacy) throw new Error('not a slotted file')
    return slotOffset(slot, found.capacity)
  }

  it('a change rewrites the same file in place, and a new start reads the newest version and goes on from it', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    const { ino, size } = statSync(path('a1'))
    for (let n = 2; n <= 5; n++) await files.write('a1', `{"n":${String(n)}}`, { durable: n % 2 === 0 })
    expect(statSync(path('a1'))).toMatchObject({ ino, size })
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":5}')
    const again = accountFiles(dir)
    await again.write('a1', '{"n":6}')
    await again.write('a1', '{"n":7}')
    expect(new Map(accountFiles(dir).readAll())).toEqual(new Map([['a1', '{"n":7}']]))
    expect(statSync(path('a1')).ino).toBe(ino)
  })

  it('a newest version that is not whole is passed over for the one before, and the next write goes over the broken one', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    await files.write('a1', '{"n":2}')
    await files.write('a1', '{"n":3}') // slot 0 again
    // One byte of the newest text changed on disk.
    damage('a1', slotStart('a1', 0) + SLOT_HEADER_BYTES + 3, Buffer.from('9'))
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":2}')
    // A new start writes over the broken slot, never over the whole version before it.
    await accountFiles(dir).write('a1', '{"n":4}')
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":4}')
    damage('a1', slotStart('a1', 0) + SLOT_HEADER_BYTES, Buffer.from('x'))
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":2}')
  })

  it('a slot header is the documented text, and a newest slot whose header is not one is passed over for the one before', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    await files.write('a1', '{"n":2}')
    await files.write('a1', '{"n":"ü3"}') // slot 0, seq 3
    const text = Buffer.from('{"n":"ü3"}')
    const covered = `${'3'.padStart(16, '0')} ${text.length.toString(16).padStart(8, '0')} `
    const crc = jsCrc32(text, jsCrc32(Buffer.from(covered, 'latin1')))
    const header = readFileSync(path('a1')).subarray(slotStart('a1', 0), slotStart('a1', 0) + SLOT_HEADER_BYTES)
    expect(header.toString('latin1')).toBe(`${covered}${crc.toString(16).padStart(8, '0')}\n`)
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":"ü3"}')
    // Not lowercase hex, a separator missing, a digit that is not one: each time the version before it.
    for (const [at, bytes] of [[15, 'A'], [16, '_'], [20, 'g'], [34, ' ']] as const) {
      const before = Buffer.from(header.subarray(at, at + 1))
      damage('a1', slotStart('a1', 0) + at, Buffer.from(bytes))
      expect(accountFiles(dir).read?.('a1')).toBe('{"n":2}')
      damage('a1', slotStart('a1', 0) + at, before)
      expect(accountFiles(dir).read?.('a1')).toBe('{"n":"ü3"}')
    }
  })

  it('a write cut short (its header written, part of its text not) leaves the version before it', async () => {
    const files = accountFiles(dir)
    const text = (n: number): string => JSON.stringify({ n, pad: String(n).repeat(6000) })
    await files.write('a1', text(1))
    await files.write('a1', text(2))
    // What a write of version 3 to slot 0 leaves when it stops after 4 KiB.
    const whole = slotBytes(3, Buffer.from(text(3)))
    damage('a1', slotStart('a1', 0), whole.subarray(0, 4096))
    expect(accountFiles(dir).read?.('a1')).toBe(text(2))
  })

  it('a file with no whole version reads as damaged (empty), and the next write makes it whole again', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    await files.write('a1', '{"n":2}')
    damage('a1', slotStart('a1', 0) + SLOT_HEADER_BYTES, Buffer.from('xx'))
    damage('a1', slotStart('a1', 1) + SLOT_HEADER_BYTES, Buffer.from('xx'))
    expect(new Map(accountFiles(dir).readAll())).toEqual(new Map([['a1', '']]))
    await accountFiles(dir).write('a1', '{"n":3}')
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":3}')
  })

  it('a file from before slots (plain JSON) is read as it is and takes the slotted layout at its next write', async () => {
    mkdirSync(dir, { recursive: true })
    writeFileSync(path('old'), '{"v":1,"account":null,"sealed":null}', { mode: 0o600 })
    const files = accountFiles(dir)
    expect(files.read?.('old')).toBe('{"v":1,"account":null,"sealed":null}')
    await files.write('old', '{"n":2}', { durable: false })
    expect(readFileSync(path('old'), 'latin1')).toMatch(/^LATCHKEY-ACCOUNT 2 /)
    expect(accountFiles(dir).read?.('old')).toBe('{"n":2}')
    await files.write('old', '{"n":3}', { durable: false })
    expect(accountFiles(dir).read?.('old')).toBe('{"n":3}')
  })

  it('a text that outgrows its slot gets a new, larger file, and non-ASCII text reads back the same', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    const long = JSON.stringify({ name: 'Zoë Ångström 名前 🔑'.repeat(200) })
    await files.write('a1', long, { durable: false })
    expect(accountFiles(dir).read?.('a1')).toBe(long)
    await files.write('a1', '{"n":3}', { durable: false })
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":3}')
  })

  it('the command line, which checks files without zlib, reads what the app wrote', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1,"é":"ü"}')
    await files.write('a1', '{"n":2,"é":"ü"}')
    expect(newestVersionText(readFileSync(path('a1')), jsCrc32)).toBe('{"n":2,"é":"ü"}')
    const data = randomBytes(5000)
    expect(jsCrc32(data)).toBe(crc32(data))
    expect(jsCrc32(data.subarray(100), jsCrc32(data.subarray(0, 100)))).toBe(crc32(data))
  })
})

describe('the start-up index\'s journal and stamps on disk', () => {
  it('a journal is begun with its head, added to line by line, and a journal a killed run left is added to by the next run', () => {
    const first = accountFiles(dir)
    expect(first.readJournal?.()).toBeNull()
    first.beginJournal?.('head\n')
    first.appendJournal?.('"a"\n')
    // Killed: the next run has the lines the first one wrote.
    const second = accountFiles(dir)
    expect(second.readJournal?.()).toBe('head\n"a"\n')
    second.appendJournal?.('"b"\n')
    first.appendJournal?.('"c"\n')
    expect(second.readJournal?.()).toBe('head\n"a"\n"b"\n"c"\n')
    second.dropJournal?.()
    expect(second.readJournal?.()).toBeNull()
    expect(second.bootId?.()).toMatch(/\S/)
  })

  it('an index written during a session replaces the old one only while still wanted, and its journal then takes the journal\'s place and its lines', async () => {
    const files = accountFiles(dir)
    files.writeIndex?.('old index')
    files.beginJournal?.('head\n')
    files.appendJournal?.('"a"\n')
    files.beginNextJournal?.('next head\n')
    files.appendNextJournal?.('"b"\n')
    // Given up (an index written at quit overtook it): the old index stays, and no temporary file is left.
    expect(await files.replaceIndex?.(['given up'], () => false)).toBe(false)
    expect(files.readIndex?.()).toBe('old index')
    expect(await files.replaceIndex?.(['new ', 'index'], () => true)).toBe(true)
    expect(files.readIndex?.()).toBe('new index')
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
    // A start reads only the journal; the next one is not it until it takes its place.
    expect(files.readJournal?.()).toBe('head\n"a"\n')
    files.promoteNextJournal?.()
    files.appendJournal?.('"c"\n')
    expect(files.readJournal?.()).toBe('next head\n"b"\n"c"\n')
    expect(readdirSync(dir).sort()).toEqual(['index', 'journal'])
    files.beginNextJournal?.('another\n')
    files.dropNextJournal?.()
    expect(readdirSync(dir).sort()).toEqual(['index', 'journal'])
  })

  it('gives no stamp to a file too young for one to vouch for it, so the index leaves it out and a start reads it', async () => {
    const files = accountFiles(dir)
    await files.write('young', 'text')
    await files.write('old', 'text')
    await files.write('coarse', 'text')
    const ago = (ms: number): number => (Date.now() - ms) / 1000
    utimesSync(join(dir, 'old.json'), ago(60_000.5), ago(60_000.5))
    // As young as can be: a time still to come (as after the clock was set back).
    utimesSync(join(dir, 'young.json'), ago(-5_000.5), ago(-5_000.5))
    // A time in whole seconds, as a file system that keeps them to the second or two gives: young for longer.
    const whole = Math.floor(ago(1_000))
    utimesSync(join(dir, 'coarse.json'), whole, whole)
    const stamps = Object.fromEntries([...(files.list?.() ?? [])].map(({ id, stamp }) => [id, stamp]))
    expect(stamps['old']).not.toBe('')
    expect(stamps['young']).toBe('')
    expect(stamps['coarse']).toBe('')
  })
})

describe('the account store read in slices at start-up', () => {
  const record = (id: string, label: string) => ({
    id,
    label,
    provider: 'oidc' as const,
    config: { issuer: 'https://id.example.test' },
    identity: { subject: id, name: null, email: null },
    profile: {},
    createdAt: '2026-01-02T03:04:05.000Z',
    lastRefreshAt: null,
    expiresAt: null,
    attention: null,
    signedOut: false,
  })
  /** What a store holds, as a caller sees it. */
  const seen = (store: AccountStore) => ({
    ids: store.ids().sort(),
    labels: store.ids().sort().map((id) => store.account(id)?.label),
    sealed: store.ids().sort().map((id) => store.get(id)?.sealed),
    damaged: [...store.damaged().keys()].sort(),
    stale: store.indexStale,
  })

  it('holds what the store read at once holds, with and without the index, a damaged file reported alone', async () => {
    const files = accountFiles(dir)
    for (let i = 0; i < 600; i++) {
      const id = `acct-${String(i).padStart(3, '0')}`
      // One file in another form (a field of a later version): read through the schema, the field dropped.
      const account = i === 7 ? { ...record(id, `Account ${String(i)}`), pinned: true } : record(id, `Account ${String(i)}`)
      await files.write(id, JSON.stringify({ v: 1, account, sealed: i % 2 === 0 ? `v1.sealed-${String(i)}` : null }), { durable: false })
    }
    writeFileSync(join(dir, 'acct-300.json'), '{"v":1,"account":')
    const logger = recordingLogger()

    const atOnce = new AccountStore(accountFiles(dir), logger)
    const inSlices = await AccountStore.opened(accountFiles(dir), logger)
    expect(seen(inSlices)).toEqual(seen(atOnce))
    expect(seen(inSlices).damaged).toEqual(['acct-300'])
    expect(inSlices.account('acct-007')).not.toHaveProperty('pinned')
    expect(inSlices.account('acct-008')?.label).toBe('Account 8')
    expect(inSlices.indexStale).toBe(true)

    // A clean quit leaves the index; both ways of reading take it, and a file changed since wins:
    // at once, before the store is used; in slices, once the files are compared with the index
    // (checkIndexed), which until then lists the index's records.
    expect(inSlices.saveIndex(null)).toBe(true)
    await files.write('acct-010', JSON.stringify({ v: 1, account: record('acct-010', 'Renamed while closed'), sealed: null }), { durable: false })
    writeFileSync(join(dir, 'acct-020.json'), '{"v":1,"account":')
    const indexedAtOnce = new AccountStore(accountFiles(dir), logger)
    expect(indexedAtOnce.account('acct-010')?.label).toBe('Renamed while closed')
    expect([...indexedAtOnce.damaged().keys()].sort()).toEqual(['acct-020', 'acct-300'])
    const indexedInSlices = await AccountStore.opened(accountFiles(dir), logger)
    expect(indexedInSlices.account('acct-010')?.label).toBe('Account 10')
    expect(indexedInSlices.account('acct-020')?.label).toBe('Account 20')
    expect((await indexedInSlices.checkIndexed()).sort()).toEqual(['acct-010', 'acct-020'])
    expect(seen(indexedInSlices)).toEqual(seen(indexedAtOnce))
    expect(indexedInSlices.account('acct-010')?.label).toBe('Renamed while closed')
    expect(indexedInSlices.account('acct-020')).toBeNull()
    // Compared once: nothing more to find.
    expect(await indexedInSlices.checkIndexed()).toEqual([])
  })

  it('a file written or removed before the files are compared with the index is not read again over memory; a quit before the comparison compares them as it writes the index', async () => {
    const files = accountFiles(dir)
    let times = 0
    const aged = (...ids: string[]): void => {
      // Old enough for a stamp to vouch for them (see file-stamp.ts), each time at another time.
      const minuteAgo = new Date(Date.now() - 60_000 - ++times * 1000)
      for (const id of ids) utimesSync(join(dir, `${id}.json`), minuteAgo, minuteAgo)
    }
    for (let i = 0; i < 3; i++) await files.write(`acct-${String(i)}`, JSON.stringify({ v: 1, account: record(`acct-${String(i)}`, `Account ${String(i)}`), sealed: null }), { durable: false })
    aged('acct-0', 'acct-1', 'acct-2')
    const first = new AccountStore(accountFiles(dir), recordingLogger())
    expect(first.saveIndex(null)).toBe(true)
    // Behind Latchkey's back, while it was closed: each file changed.
    for (let i = 0; i < 3; i++) await files.write(`acct-${String(i)}`, JSON.stringify({ v: 1, account: record(`acct-${String(i)}`, `Changed ${String(i)}`), sealed: null }), { durable: false })

    const store = await AccountStore.opened(accountFiles(dir), recordingLogger())
    await store.set('acct-0', { account: record('acct-0', 'Renamed in Latchkey') })
    await store.remove('acct-1')
    expect(await store.checkIndexed()).toEqual(['acct-2'])
    expect(store.ids().sort()).toEqual(['acct-0', 'acct-2'])
    expect(store.account('acct-0')?.label).toBe('Renamed in Latchkey')
    expect(store.account('acct-2')?.label).toBe('Changed 2')

    // A quit before the comparison: the index written holds each file as it is, not the index's record.
    await store.flush()
    aged('acct-0', 'acct-2')
    expect(store.saveIndex(null)).toBe(true)
    await files.write('acct-2', JSON.stringify({ v: 1, account: record('acct-2', 'Changed again'), sealed: null }), { durable: false })
    aged('acct-2')
    const quitting = await AccountStore.opened(accountFiles(dir), recordingLogger())
    expect(quitting.account('acct-2')?.label).toBe('Changed 2')
    expect(quitting.saveIndex(null)).toBe(true)
    const next = await AccountStore.opened(accountFiles(dir), recordingLogger())
    expect(next.account('acct-2')?.label).toBe('Changed again')
    expect(await next.checkIndexed()).toEqual([])
  })

  it('without the index, holds what parsing each file whole holds: records, sealed secrets, and the same files reported damaged for the same reasons', async () => {
    const files = accountFiles(dir)
    const write = (id: string, text: string): Promise<void> => files.write(id, text, { durable: false })
    await write('plain-sealed', accountFileJson(record('plain-sealed', 'Sealed ,"sealed":null} é'), 'v1.abc-_'))
    await write('plain-none', accountFileJson(record('plain-none', 'No session'), null))
    await write('no-record', accountFileJson(null, 'v1.only-secrets'))
    await write('later-field', accountFileJson({ ...record('later-field', 'Pinned'), pinned: true }, null))
    await write('escaped', accountFileJson(record('escaped', 'Escaped'), 'v1.a"b'))
    await write('wrong-type', accountFileJson({ ...record('wrong-type', 'Bad'), signedOut: 'no' }, null))
    await write('someone-else', accountFileJson(record('another-id', 'Not mine'), null))
    await write('other-order', JSON.stringify({ sealed: 'v1.xyz', v: 1, account: record('other-order', 'Other order') }))
    await write('cut-short', accountFileJson(record('cut-short', 'Cut'), null))
    // One from before slots (plain JSON), one with no whole version left.
    writeFileSync(join(dir, 'before-slots.json'), accountFileJson(record('before-slots', 'Old layout'), 'v1.old'))
    writeFileSync(join(dir, 'cut-short.json'), readFileSync(join(dir, 'cut-short.json')).subarray(0, 60))
    const asText = accountFiles(dir)
    // The same folder read only as text, each file parsed whole (as before bytes were read).
    const textOnly = { ...asText, readAllChecked: undefined }
    const seen = (store: AccountStore) => {
      const ids = store.ids().sort()
      return { ids, records: ids.map((id) => store.account(id)), sealed: ids.map((id) => store.get(id)?.sealed), damaged: [...store.damaged()].sort() }
    }
    const fromBytes = new AccountStore(accountFiles(dir), recordingLogger())
    expect(seen(fromBytes)).toEqual(seen(new AccountStore(textOnly, recordingLogger())))
    expect(seen(fromBytes).damaged.map(([id]) => id)).toEqual(['cut-short', 'someone-else', 'wrong-type'])
    expect(fromBytes.account('plain-sealed')?.label).toBe('Sealed ,"sealed":null} é')
    expect(fromBytes.get('plain-sealed')?.sealed).toBe('v1.abc-_')
    expect(fromBytes.get('escaped')?.sealed).toBe('v1.a"b')
    expect(fromBytes.hasSealed('plain-none')).toBe(false)
    expect(fromBytes.account('later-field')).not.toHaveProperty('pinned')
  })
})

describe('account files kept open between a read and a write', () => {
  const path = (id: string): string => join(dir, `${id}.json`)
  /** Descriptors of this process open on files in the accounts folder (other tests' come and go meanwhile). */
  const openDescriptors = (): number =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(join('/proc/self/fd', fd)).startsWith(realpathSync(dir) + sep)
      } catch {
        return false
      }
    }).length
  const hasProc = existsSync('/proc/self/fd')
  afterEach(() => {
    vi.useRealTimers()
  })

  it.runIf(hasProc)('keeps at most OPEN_FILES_MAX files open, and none once they have been idle for OPEN_FILE_IDLE_MS', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const files = accountFiles(dir)
    for (let i = 0; i < OPEN_FILES_MAX * 3; i++) await files.write(`a${String(i)}`, `{"n":${String(i)}}`, { durable: false })
    for (let i = 0; i < OPEN_FILES_MAX * 3; i++) expect(files.read?.(`a${String(i)}`)).toBe(`{"n":${String(i)}}`)
    expect(openDescriptors()).toBe(OPEN_FILES_MAX)
    vi.advanceTimersByTime(OPEN_FILE_IDLE_MS * 2)
    expect(openDescriptors()).toBe(0)
    // Opened again when next used.
    await files.write('a1', '{"n":"again"}')
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":"again"}')
  })

  it.runIf(hasProc)('removing an account lets go of its open file', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    expect(openDescriptors()).toBe(0)
    expect(files.read?.('a1')).toBe('{"n":1}')
    expect(openDescriptors()).toBe(1)
    await files.remove('a1')
    expect(openDescriptors()).toBe(0)
    expect(files.read?.('a1')).toBeNull()
  })

  it('a newest version damaged on disk after this process wrote it is passed over for the one before', async () => {
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    await files.write('a1', '{"n":2}')
    await files.write('a1', '{"n":3}')
    expect(files.read?.('a1')).toBe('{"n":3}')
    const found = decodeAccountFile(readFileSync(path('a1')))
    if (!found || found.legacy) throw new Error('not a slotted file')
    const whole = readFileSync(path('a1'))
    whole.write('9', slotOffset(found.slot, found.capacity) + SLOT_HEADER_BYTES + 5, 'latin1')
    writeFileSync(path('a1'), whole)
    // Still open in this process: the slot it knows is checked, found broken, and the file read whole.
    expect(files.read?.('a1')).toBe('{"n":2}')
    await files.write('a1', '{"n":4}')
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":4}')
  })

  it('a file replaced from outside is read and written anew once its descriptor has been idle', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const files = accountFiles(dir)
    await files.write('a1', '{"n":1}')
    await files.write('a1', '{"n":2}')
    const other = join(dir, '..', 'other.json')
    writeFileSync(other, accountFileBytes('{"n":"restored"}'), { mode: 0o600 })
    renameSync(other, path('a1'))
    vi.advanceTimersByTime(OPEN_FILE_IDLE_MS * 2)
    expect(files.read?.('a1')).toBe('{"n":"restored"}')
    await files.write('a1', '{"n":3}')
    expect(accountFiles(dir).read?.('a1')).toBe('{"n":3}')
  })

  it('a flushed write finishes through its descriptor while other files push it out of the open ones', async () => {
    const files = accountFiles(dir)
    for (let i = 0; i <= OPEN_FILES_MAX; i++) await files.write(`a${String(i)}`, `{"n":${String(i)}}`, { durable: false })
    expect(files.read?.('a0')).toBe('{"n":0}')
    const flushed = files.write('a0', '{"n":"flushed"}', { durable: true })
    for (let i = 1; i <= OPEN_FILES_MAX; i++) files.read?.(`a${String(i)}`)
    await flushed
    expect(accountFiles(dir).read?.('a0')).toBe('{"n":"flushed"}')
    expect(files.read?.('a0')).toBe('{"n":"flushed"}')
  })
})
