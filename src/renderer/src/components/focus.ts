/** An attachment that focuses its element when it appears: `{@attach focusOnMount}`. */
export function focusOnMount(node: HTMLElement): void {
  node.focus()
}
