/**
 * Mounts DynamicForm on its own with props a test can change afterwards (a new form, busy, an
 * error), and an `onsubmit` that records every press and answers when the test says.
 */
import { flushSync, mount, unmount } from 'svelte'
import type { AppErrorDto, FormAction, FormSpec, FormValues } from '../../../shared/contract.ts'
import DynamicForm from '../components/DynamicForm.svelte'

export interface Press {
  action: string
  values: FormValues
  /** Ends the press: true when it went through, false when it was refused. */
  settle(went: boolean): void
}

export interface FormHarness {
  root: HTMLElement
  props: { form: FormSpec; busy: boolean; error: AppErrorDto | null; autofocus: boolean }
  presses: Press[]
  destroy(): void
}

export function mountForm(form: FormSpec, options: { autofocus?: boolean } = {}): FormHarness {
  const root = document.createElement('div')
  document.body.append(root)
  const presses: Press[] = []
  const props = $state({ form, busy: false, error: null as AppErrorDto | null, autofocus: options.autofocus ?? false })
  const onsubmit = (action: FormAction, values: FormValues): Promise<boolean> =>
    new Promise((resolve) => presses.push({ action: action.id, values, settle: resolve }))
  const component = mount(DynamicForm, {
    target: root,
    props: {
      get form() {
        return props.form
      },
      get busy() {
        return props.busy
      },
      get error() {
        return props.error
      },
      get autofocus() {
        return props.autofocus
      },
      onsubmit,
    },
  })
  flushSync()
  return {
    root,
    props,
    presses,
    destroy() {
      void unmount(component)
      root.remove()
    },
  }
}
