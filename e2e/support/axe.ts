/** Accessibility checks with axe-core: a screen passes when axe finds no violation at all. */
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/** Runs every axe rule (WCAG 2.x A/AA and best practices) on the page as it is now. */
export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const found = results.violations.map(
    (violation) => `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.nodes.map((node) => `${node.target.join(' ')} — ${node.failureSummary ?? ''}`).join(' | ')}`,
  )
  expect(found, `axe violations on "${screen}"`).toEqual([])
}

/** The colour-contrast result for the elements `selector` matches: they must have been checked and passed. */
export async function expectContrastChecked(page: Page, selector: string): Promise<void> {
  const results = await new AxeBuilder({ page }).include(selector).withRules(['color-contrast']).analyze()
  expect(results.violations.flatMap((violation) => violation.nodes.map((node) => node.failureSummary)), `contrast of ${selector}`).toEqual([])
  expect(results.passes.flatMap((rule) => rule.nodes).length, `contrast of ${selector} was measured`).toBeGreaterThan(0)
}
