// Lint: typescript-eslint's recommended rules, plus the boundaries of ARCHITECTURE.md.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'coverage/**', '**/*.cjs', '**/*.mjs', 'jest.config.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is deterministic and bundled by Temporal: relative imports, no I/O.
    files: ['workflows/src/**/*.ts', 'libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tdkt/*'], message: 'Workflow and domain code import by relative path (the workflow bundler does not know the aliases).' },
            { group: ['node:*', 'fs', 'http', 'https', 'net', 'typeorm', 'pg', '@nestjs/*'], message: 'No I/O in workflow or domain code: put it in an activity.' },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Not deterministic: use uuid4() from @temporalio/workflow.' }],
    },
  },
  {
    // The web app builds the DOM from text only: no HTML strings (XSS), no eval.
    files: ['apps/web/src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Build elements with h() from dom.ts: text is set as textContent.' },
        { property: 'outerHTML', message: 'Build elements with h() from dom.ts.' },
        { property: 'insertAdjacentHTML', message: 'Build elements with h() from dom.ts.' },
        { object: 'document', property: 'write', message: 'Build elements with h() from dom.ts.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@temporalio/*', '@tdkt/*', 'node:*'], message: 'libs/domain is pure: nothing of ours, no framework, no I/O.' }] }],
    },
  },
);
