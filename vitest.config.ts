import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { realPocketBaseTier } from './src/dev/pocketbase/real/tier.ts'

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        // The main process draws the account list's first frame with the app's components (compiled for the server).
        plugins: [svelte()],
        test: {
          name: 'main',
          include: ['src/main/**/*.test.ts', 'src/cli/**/*.test.ts', 'src/shared/**/*.test.ts', 'src/dev/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          include: ['src/renderer/**/*.test.ts'],
          environment: 'jsdom',
        },
      },
      // The PocketBase provider tests again, against a real PocketBase (when its binary is installed).
      ...realPocketBaseTier(),
    ],
  },
})
