import { defineConfig } from '@playwright/test';

const port = process.env.E2E_PORT ?? '3107';
// A second server with the sample vector basemap (Florence), for the basemap test alone.
const basemapPort = String(Number(port) + 1);

// Debian's Chromium (a downloaded browser is impossible here), at a phone's size.
export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
    locale: 'zh-CN',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  // The phone tests first: they check the demo park as loaded (556 enterprises, plan v1);
  // the managers' tests then change it (import enterprises, activate plans).
  projects: [
    { name: 'phone', testMatch: /(sign-in|field-offline|service-loop)\.spec\.ts/ },
    {
      name: 'basemap',
      testMatch: /basemap\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${basemapPort}` },
    },
    {
      name: 'laptop',
      testMatch: /(figures|plan-editor|manager-console|real-park)\.spec\.ts/,
      dependencies: ['phone'],
      use: {
        viewport: { width: 1366, height: 860 },
        deviceScaleFactor: 1,
        isMobile: false,
        hasTouch: false,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      },
    },
    // Last: every role loads every page many times and no page may report an error.
    { name: 'gate', testMatch: /page-errors\.spec\.ts/, dependencies: ['laptop'] },
  ],
  webServer: [
    {
      command: 'bash end2end/serve.sh',
      cwd: '..',
      url: `http://127.0.0.1:${port}/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: { E2E_PORT: port },
    },
    {
      command: 'bash end2end/serve.sh',
      cwd: '..',
      url: `http://127.0.0.1:${basemapPort}/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: { E2E_PORT: basemapPort, PARKGRID_BASEMAP_PMTILES: 'data/basemap/protomaps_vector_ODbL_firenze.pmtiles' },
    },
  ],
});
