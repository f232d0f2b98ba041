import { defineConfig } from 'vitest/config';

/**
 * Test tiers (README, "Tests"): `unit` needs no service at all; `integration` and `e2e` run against the
 * PostgreSQL and Redis on this machine (one seeded template database per run, see tests/setup/global.ts) and
 * e2e through Chromium; `slow` holds the quality runs (OCR accuracy, routing against the Solomon instances).
 * `npm test` runs every tier; `npm run test:unit` (or `vitest run --project unit`) one of them.
 */
const services = { globalSetup: ['tests/setup/global.ts'] };

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], ...services },
      },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], ...services } },
      { extends: true, test: { name: 'slow', include: ['tests/slow/**/*.test.ts'], ...services } },
    ],
  },
});
