/** Small DOM helpers for renderer tests: mount the app, wait, find things the way a person would. */
import { flushSync, mount, unmount } from 'svelte'
import { expect, vi } from 'vitest'
import type { Api } from '../../../shared/contract.ts'
import App from '../App.svelte'

export interface Rendered {
  root: HTMLElement
  destroy(): void
}

/**
 * Mounts the whole app over `api` and waits until it is ready and its first frame is behind it
 * (what the app draws only after that frame, such as the list's rows out of sight, is drawn too).
 * With `settled: false`, answers as soon as it is ready.
 */
export async function renderApp(api: Api, { settled = true }: { settled?: boolean } = {}): Promise<Rendered> {
  const root = document.createElement('div')
  document.body.append(root)
  const component = mount(App, { target: root, props: { api } })
  await vi.waitFor(() => expect(root.querySelector('[data-app-state="ready"]')).not.toBeNull(), { interval: 1 })
  if (settled) {
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
    flushSync()
  }
  return {
    root,
    destroy() {
      void unmount(component)
      root.remove()
    },
  }
}

/** Retries an expectation until it holds (promises settle, the DOM updates). */
export async function until(check: () => void): Promise<void> {
  await vi.waitFor(() => {
    flushSync()
    check()
  })
}

function text(element: Element): string {
  return element.textContent.replace(/\s+/g, ' ').trim()
}

export function button(root: ParentNode, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].filter((element) => text(element) === name)
  if (found.length !== 1) throw new Error(`Expected one button "${name}", found ${found.length}`)
  return found[0] as HTMLButtonElement
}

export function queryButton(root: ParentNode, name: string): HTMLButtonElement | null {
  return [...root.querySelectorAll('button')].find((element) => text(element) === name) ?? null
}

/** The control a <label> with exactly this text points at. */
export function field(root: ParentNode, label: string): HTMLInputElement {
  const element = [...root.querySelectorAll('label')].find((entry) => text(entry) === label)
  const control = element?.control
  if (!(control instanceof HTMLInputElement)) throw new Error(`No input labelled "${label}"`)
  return control
}

/** Any form control (input, select) a <label> with exactly this text points at. */
export function control(root: ParentNode, label: string): HTMLInputElement | HTMLSelectElement {
  const element = [...root.querySelectorAll('label')].find((entry) => text(entry) === label)
  const found = element?.control
  if (!(found instanceof HTMLInputElement || found instanceof HTMLSelectElement)) throw new Error(`No control labelled "${label}"`)
  return found
}

/** Chooses an option of a <select>, as a person would. */
export function choose(select: HTMLSelectElement, value: string): void {
  select.value = value
  select.dispatchEvent(new Event('change', { bubbles: true }))
  flushSync()
}

/** Ticks or unticks a checkbox, as a click would. */
export function setChecked(box: HTMLInputElement, checked: boolean): void {
  if (box.checked !== checked) click(box)
}

/** Picks a file in a file input (jsdom cannot open a file chooser). */
export function pickFile(input: HTMLInputElement, file: File): void {
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change', { bubbles: true }))
  flushSync()
}

export function options(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('[role="listbox"] [role="option"]')]
}

export function click(element: HTMLElement): void {
  element.click()
  flushSync()
}

export function press(element: Element, key: string, init: KeyboardEventInit = {}): void {
  element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }))
  flushSync()
}

export function typeInto(input: HTMLInputElement, value: string): void {
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
  flushSync()
}

export function describedText(input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
  return ids.map((id) => text(document.getElementById(id) ?? document.createElement('span'))).join(' ')
}

export { text }

/** The element at `index`, or a failing test when there is none. */
export function nth<T>(list: readonly T[], index: number): T {
  const item = list[index]
  if (item === undefined) throw new Error(`Expected an item at ${index}, found ${list.length} items`)
  return item
}

/** The one element matching `selector`, or a failing test. */
export function one(root: ParentNode, selector: string): HTMLElement {
  const found = root.querySelectorAll<HTMLElement>(selector)
  const [first] = found
  if (found.length !== 1 || !first) throw new Error(`Expected one "${selector}", found ${found.length}`)
  return first
}

/** The one input matching `selector`, or a failing test. */
export function oneInput(root: ParentNode, selector: string): HTMLInputElement {
  const found = one(root, selector)
  if (!(found instanceof HTMLInputElement)) throw new Error(`"${selector}" is not an input`)
  return found
}

/** Every element with this role whose text contains `words`. */
export function withRole(root: ParentNode, role: string, words: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(`[role="${role}"]`)].filter((element) => text(element).includes(words))
}
