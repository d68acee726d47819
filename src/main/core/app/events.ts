import type { EventChannel, EventMap } from '../../../shared/contract.ts'

/** Where the core sends events for the renderer; each shell forwards them over its transport. */
export type EventSink = <E extends EventChannel>(event: E, payload: EventMap[E]) => void
