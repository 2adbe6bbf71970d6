import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/live-server.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
