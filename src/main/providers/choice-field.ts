/** A field where the person picks one of a list the backend gave (an authenticator, a token, a linked service). */
import type { FormFieldSpec } from '../../shared/contract.ts'

/** A required choice among `choices` (each a value and what the person sees), the first one picked to begin with. */
export function choiceField(key: string, label: string, choices: { value: string; label: string }[]): FormFieldSpec {
  return { key, label, kind: 'choice', required: true, value: choices[0]?.value ?? '', options: choices }
}
