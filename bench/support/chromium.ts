/** The Chromium the page benches load pages in (LATCHKEY_CHROMIUM, else Debian's). */
import { chromium, type Browser } from '@playwright/test'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.LATCHKEY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
}
