/**
 * PocketBase's `?fields=` response picker (tools/picker): comma-separated paths, `.` for nesting,
 * `*` for every key at a level; modifiers such as `:excerpt(200)` are accepted and ignored here.
 * Arrays are picked item by item, and a list result is picked on its `items`.
 */

type FieldTree = Map<string, FieldTree>

export function parseFields(raw: string): FieldTree {
  const tree: FieldTree = new Map()
  for (const field of splitTopLevel(raw)) {
    const path = field.trim().replace(/:.*$/, '')
    if (path === '') continue
    let level = tree
    for (const key of path.split('.')) {
      let next = level.get(key)
      if (next === undefined) {
        next = new Map()
        level.set(key, next)
      }
      level = next
    }
  }
  return tree
}

/** Commas inside a modifier's parentheses do not separate fields. */
function splitTopLevel(raw: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const char of raw) {
    if (char === '(') depth++
    if (char === ')') depth = Math.max(0, depth - 1)
    if (char === ',' && depth === 0) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts
}

export function pickFields(value: unknown, tree: FieldTree): unknown {
  if (tree.size === 0) return value
  if (Array.isArray(value)) return value.map((item) => pickFields(item, tree))
  if (typeof value !== 'object' || value === null) return value
  const result: Record<string, unknown> = {}
  const wildcard = tree.get('*')
  for (const [key, child] of Object.entries(value)) {
    const subtree = tree.get(key) ?? wildcard
    if (subtree !== undefined) result[key] = pickFields(child, subtree)
  }
  return result
}
