import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** What the end-to-end tests hold every screen to: WCAG 2.2 A and AA, and axe's best practices. */
export const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

/** axe's findings on the page, one line each (empty when it passes). */
export const violations = async (page: Page) => {
  const results = await new AxeBuilder({ page }).withTags(RULES).analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact}) ${node.target.join(' ')}: ${node.failureSummary ?? violation.help}`,
    ),
  );
};
