/**
 * Ready-made backend configurations from LATCHKEY_PRESETS (a JSON list of {kind, name, config}),
 * used by `npm run demo` to offer its local servers on "Add account". Bad input is ignored with a
 * warning rather than stopping the app.
 */
import { z } from 'zod'
import { PROVIDER_KINDS, type BackendPreset, type ProviderKind } from '../shared/contract.ts'
import type { Logger } from './core/ports.ts'

const presetList = z.array(
  z.object({ kind: z.enum(PROVIDER_KINDS), name: z.string().min(1), config: z.record(z.string(), z.string()) }),
)

export function presetsFromEnv(text: string | undefined, logger: Logger): Partial<Record<ProviderKind, BackendPreset[]>> {
  if (!text) return {}
  let parsed: z.infer<typeof presetList>
  try {
    parsed = presetList.parse(JSON.parse(text))
  } catch {
    logger.warn('presets.ignored', { reason: 'LATCHKEY_PRESETS is not a valid preset list' })
    return {}
  }
  const byKind: Partial<Record<ProviderKind, BackendPreset[]>> = {}
  for (const { kind, name, config } of parsed) (byKind[kind] ??= []).push({ name, config })
  return byKind
}
