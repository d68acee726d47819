/**
 * The bundled headless core's entry (out/web/headless.js): turns on V8's compile cache before the
 * core's code (about 1 MB) is loaded, so a `latchkey` call that has to start the core does not
 * compile it again each time. See cli.ts.
 */
import { useCompileCache } from '../compile-cache-dir.ts'

useCompileCache()
await import('./cli.ts')
