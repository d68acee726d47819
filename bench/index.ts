/**
 * `npm run bench`: every benchmark, printed as figures and ratios measured in the same run, then
 * the scale targets the sections measured, each with whether this run met it. Nothing is asserted. `npm run bench -- --soak` runs the 10-minute soak instead; `--only NAME[,NAME]` runs
 * some sections (scheduler, refresh, startup, renderer, sign-in, pocketbase, command-line,
 * young-generation, refreshed-memory, session-index). Needs
 * `npm run build`.
 */
import { benchCommandLine } from './command-line.ts'
import { benchPocketBase } from './pocketbase.ts'
import { benchRefreshPath } from './refresh-path.ts'
import { benchRefreshedMemory } from './refreshed-memory.ts'
import { benchRenderer } from './renderer.ts'
import { benchScheduler } from './scheduler.ts'
import { benchSessionIndex } from './session-index.ts'
import { benchSignIn } from './sign-in.ts'
import { benchSoak } from './soak.ts'
import { benchStartup } from './startup.ts'
import { benchYoungGeneration } from './young-generation.ts'
import { printTargets } from './support/targets.ts'

if (process.argv.includes('--soak')) {
  await benchSoak()
} else {
  const sections: Record<string, () => Promise<void>> = {
    scheduler: benchScheduler,
    refresh: benchRefreshPath,
    startup: benchStartup,
    renderer: benchRenderer,
    'sign-in': benchSignIn,
    pocketbase: benchPocketBase,
    'command-line': benchCommandLine,
    'young-generation': benchYoungGeneration,
    'refreshed-memory': benchRefreshedMemory,
    'session-index': benchSessionIndex,
  }
  const at = process.argv.indexOf('--only')
  const only = at === -1 ? Object.keys(sections) : (process.argv[at + 1] ?? '').split(',')
  const unknown = only.filter((name) => !(name in sections))
  if (unknown.length > 0) {
    console.error(`Unknown bench section ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}`)
    process.exit(2)
  }
  for (const name of only) await sections[name]!()
  printTargets()
}
process.exit(0)
