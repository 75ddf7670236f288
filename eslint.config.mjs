// Lint for the whole repository: Next's core-web-vitals rules plus typescript-eslint's
// recommended set, as shipped by eslint-config-next 16 (flat configs).
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "node_modules/**",
    "data/**",
    "test-results/**",
    "playwright-report/**",
    ".test-output/**",
    "next-env.d.ts",
  ]),
]);
