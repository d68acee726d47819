import { flushSync, mount, unmount } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import App from './App.svelte'
import { FakeApi, failWith } from './testing/fake-api.ts'
import { account } from './testing/fixtures.ts'
import { button, click, one, options, renderApp, text, until, withRole, type Rendered } from './testing/dom.ts'

let rendered: Rendered | undefined
afterEach(() => rendered?.destroy())

describe('the app shell', () => {
  it('says "loading" until app state and accounts have arrived, then "ready"', async () => {
    const fake = new FakeApi({ accounts: [account()] })
    let release = (): void => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    fake.override('accountsList', async (args) => {
      await gate
      return { ok: true as const, value: fake.listPage(args) }
    })
    const root = document.createElement('div')
    document.body.append(root)
    const component = mount(App, { target: root, props: { api: fake.api } })
    try {
      flushSync()
      await Promise.resolve()
      expect(root.querySelector('[data-app-state]')?.getAttribute('data-app-state')).toBe('loading')
      // Not drawn in the first frames (the answers usually come first), but once they are late.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      flushSync()
      expect(text(root)).not.toContain('Loading accounts…')
      await until(() => expect(withRole(root, 'status', 'Loading accounts…')).toHaveLength(1))
      release()
      await until(() => expect(root.querySelector('[data-app-state]')?.getAttribute('data-app-state')).toBe('ready'))
      expect(options(root)).toHaveLength(1)
    } finally {
      void unmount(component)
      root.remove()
    }
  })

  it('leads from the empty state to "Add account", with focus on the form', async () => {
    const fake = new FakeApi()
    rendered = await renderApp(fake.api)
    const root = rendered.root
    expect(text(root).split('No accounts yet')).toHaveLength(2)
    expect(root.querySelector('[role="listbox"]')).toBeNull()
    const welcome = one(root, '.pane')
    expect(button(welcome, 'Add account').className).toContain('primary')
    click(button(welcome, 'Add account'))
    await until(() => expect(text(one(root, 'h1'))).toBe('Add an account'))
    expect(document.activeElement).toBe(one(root, 'h1'))
  })

  it('warns that sessions are memory only when the keychain is unavailable, and retries on request', async () => {
    const fake = new FakeApi({
      appState: {
        storage: { available: false, reason: 'No Secret Service is running.', fix: 'Start gnome-keyring and try again.' },
      },
    })
    rendered = await renderApp(fake.api)
    const root = rendered.root
    const [banner] = withRole(root, 'alert', 'memory only')
    if (!banner) throw new Error('no memory-only banner')
    expect(text(banner)).toContain('No Secret Service is running.')
    expect(text(banner)).toContain('Start gnome-keyring and try again.')

    click(button(banner, 'Try again'))
    await until(() => expect(withRole(banner, 'status', 'Still unavailable: No Secret Service is running.')).toHaveLength(1))

    fake.appState = { ...fake.appState, storage: { available: true, reason: null, fix: null } }
    click(button(banner, 'Try again'))
    expect(fake.callsOf('appRetryKeychain')).toHaveLength(2)
    await until(() => expect(withRole(root, 'alert', 'memory only')).toHaveLength(0))
  })

  it('shows no storage banner while the keychain works', async () => {
    rendered = await renderApp(new FakeApi().api)
    expect(withRole(rendered.root, 'alert', 'memory only')).toHaveLength(0)
  })

  it('shows notices and dismisses them', async () => {
    const fake = new FakeApi({
      appState: { notices: [{ id: 'n1', level: 'warning', message: 'The settings file was unreadable and was moved aside.' }] },
    })
    rendered = await renderApp(fake.api)
    const root = rendered.root
    expect(withRole(root, 'alert', 'moved aside')).toHaveLength(1)
    click(button(root, 'Dismiss'))
    expect(fake.callsOf('appDismissNotice')).toEqual([{ id: 'n1' }])
    await until(() => expect(withRole(root, 'alert', 'moved aside')).toHaveLength(0))
  })

  it('shows a failed start to the person and still becomes ready', async () => {
    const fake = new FakeApi()
    fake.override('accountsList', () => failWith('INTERNAL', 'The account list could not be read.'))
    rendered = await renderApp(fake.api)
    expect(withRole(rendered.root, 'alert', 'The account list could not be read.')).toHaveLength(1)
  })

  it('follows accounts:changed events', async () => {
    const fake = new FakeApi({ accounts: [account({ id: 'a', label: 'Work', active: true })] })
    rendered = await renderApp(fake.api)
    const root = rendered.root
    fake.changeList([...fake.accounts, account({ id: 'b', label: 'Personal' })])
    await until(() => expect(options(root).map((option) => option.dataset.accountId)).toEqual(['a', 'b']))
  })
})
