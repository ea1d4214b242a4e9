import { setFlagsFromString } from 'node:v8'

/**
 * V8 doubles the young generation (up to 16 MiB a semi-space, 32 MiB resident) whenever much of
 * it survives a scavenge, and never gives it back. Loading a few hundred modules and opening the
 * log and a board's document is exactly such a burst, so an idle daemon sat on 29 MiB of empty
 * young generation. Holding the growth factor at 1 while starting keeps it at its initial 1 MiB
 * semi-spaces; releasing it once the daemon is ready lets real load grow it as before.
 * `--semi-space-growth-factor` is read at each growth decision, so setting it at run time works
 * (docs/PERFORMANCE.md, daemon-memory).
 */
export function holdYoungGeneration (): void {
  setFlagsFromString('--semi-space-growth-factor=1')
}

/** Back to V8's default growth factor (2). */
export function releaseYoungGeneration (): void {
  setFlagsFromString('--semi-space-growth-factor=2')
}
