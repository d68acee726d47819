/**
 * Build step for the `latchkey` bundle (vite.cli.config.ts): every `import … from "node:…"` becomes
 * `process.getBuiltinModule(…)`. An ES module import of a built-in builds its whole export facade and
 * reads every getter (node:fs loads fs/promises and the file streams, node:crypto loads WebCrypto):
 * milliseconds on a command meant to cost little more than starting Node.
 */

const NAMED = /import\s*\{([^}]*)\}\s*from\s*["'](node:[\w/]+)["'];?/g
const WHOLE = /import\s*(?:\*\s*as\s*)?([\w$]+)\s*from\s*["'](node:[\w/]+)["'];?/g
const LEFT = /\bfrom\s*["']node:|\bimport\s*["']node:/

/** `import{a as b,c}from"node:x"` → `const{a:b,c}=process.getBuiltinModule("node:x")`; default and namespace imports too. */
export function builtinsWithoutFacade(code: string): string {
  const rewritten = code
    .replace(NAMED, (_, names: string, id: string) => {
      const pattern = names
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '')
        .map((name) => name.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1:$2'))
        .join(',')
      return `const{${pattern}}=process.getBuiltinModule(${JSON.stringify(id)});`
    })
    .replace(WHOLE, (_, name: string, id: string) => `const ${name}=process.getBuiltinModule(${JSON.stringify(id)});`)
  if (LEFT.test(rewritten)) throw new Error('latchkey bundle: an import of a Node built-in is left as an ES module import')
  return rewritten
}
