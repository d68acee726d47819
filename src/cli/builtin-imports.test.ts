import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { builtinsWithoutFacade } from './builtin-imports.ts'

const dir = mkdtempSync(join(tmpdir(), 'latchkey-builtins-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs a module's text as a file and returns what it exports. */
async function evaluate(name: string, code: string): Promise<Record<string, unknown>> {
  const file = join(dir, `${name}.mjs`)
  writeFileSync(file, code)
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>
}

describe('builtinsWithoutFacade (the latchkey bundle)', () => {
  const bundled = [
    'import{join as e,resolve as t}from"node:path";',
    'import { readFileSync } from "node:fs"',
    'import*as n from"node:os";',
    "import r from 'node:net';",
    'export const joined=e("a","b"),absolute=t("/x"),read=readFileSync,home=n.homedir(),connect=r.connect;',
  ].join('\n')

  it('takes every built-in from process.getBuiltinModule, with the same bindings', async () => {
    const rewritten = builtinsWithoutFacade(bundled)
    expect(rewritten).not.toMatch(/\bimport\b/)
    expect(rewritten).toContain('const{join:e,resolve:t}=process.getBuiltinModule("node:path");')
    const exported = await evaluate('rewritten', rewritten)
    const { readFileSync } = await import('node:fs')
    const { homedir } = await import('node:os')
    const { connect } = await import('node:net')
    expect({ ...exported }).toEqual({ joined: join('a', 'b'), absolute: '/x', read: readFileSync, home: homedir(), connect })
  })

  it('leaves other imports alone', () => {
    const code = 'import{x as y}from"./chunk.js";const k=await import("keytar");'
    expect(builtinsWithoutFacade(code)).toBe(code)
  })

  it('fails the build when a built-in import is left in a form it does not know', () => {
    expect(() => builtinsWithoutFacade('import"node:fs";')).toThrow(/left as an ES module import/)
    expect(() => builtinsWithoutFacade('import e,{join}from"node:path";')).toThrow(/left as an ES module import/)
  })
})
