/**
 * Keeps V8's young generation at the size it starts with (1 MiB semi-spaces) for the life of the
 * process. V8 doubles it, up to 32 MiB semi-spaces, each time more than its size has survived
 * collections since it last grew, and an idle process never gives it back. A start builds every
 * account's record (about 1 KB each, all of which survive), so at 10,000 accounts the young
 * generation ended up at 16 or 32 MiB semi-spaces (how far it went varied from start to start),
 * and the Buffers of the start-up reads waited that much longer to be freed, growing malloc's heap
 * too: 30 to 90 MiB of the main process's idle resident memory, for 10 MiB of records.
 *
 * The cost is more, smaller scavenges (one per ~8 refreshes instead of one per ~500), each copying
 * far less: measured over 2,000 refreshes at 10,000 accounts, CPU per refresh was no higher
 * (0.81–0.87 ms against 0.93–0.96 ms), and start-up CPU no higher either.
 *
 * Set at run time: V8 reads this flag each time it considers growing the young generation. The size
 * flags (--max-semi-space-size) are read only when the heap is set up, before any script runs, and
 * V8 raises a growth factor below 2 given on the command line.
 *
 * Not first thing, though: setting any V8 flag changes the hash of V8's flags, and a code cache made
 * under other flags is then refused. Node's built-in modules carry one made with the default flags,
 * so every built-in loaded after this flag was set was compiled from its source: the ones the
 * browser shell loads before it listens took 22 ms instead of 10 (measured in a fresh Node 24
 * process), about 15 ms of main-thread CPU before its address was printed. Both shells set it once
 * their core is loaded, just before the accounts are read (the `latchkey` command, which the
 * Electron binary also runs, never does: it holds no accounts); what the young generation grew by
 * until then is given back by the memory-reducing collection at the end of start-up (see
 * garbage-release.ts).
 */
import { setFlagsFromString } from 'node:v8'

export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
}
