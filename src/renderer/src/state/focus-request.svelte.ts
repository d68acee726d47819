/**
 * Where keyboard focus goes after the screen changes under it (a sign-in finished, the form was
 * closed, an account was removed). The store asks; the element, once it is on screen, takes it.
 */

/** A screen's heading, a switcher option, or the "Add account" button of the welcome screen. */
export type FocusTarget = 'heading' | 'account' | 'add-account'

/** Which screen a request is for: 'add', 'welcome' or `account:<id>`. */
export type ScreenKey = string

export function accountScreen(id: string): ScreenKey {
  return `account:${id}`
}

export class FocusRequests {
  pending = $state<{ target: FocusTarget; screen: ScreenKey } | null>(null)

  ask(target: FocusTarget, screen: ScreenKey): void {
    this.pending = { target, screen }
  }

  /** True, once, when the pending request is for this target on this screen. */
  take(target: FocusTarget, screen: ScreenKey): boolean {
    const pending = this.pending
    if (pending?.target !== target || pending.screen !== screen) return false
    this.pending = null
    return true
  }
}
