// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Module boundaries (core/ imports no SDK, adapters never import each other, …) are checked by
// dependency-cruiser instead: .dependency-cruiser.cjs, run by `npm run boundaries`.
export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSAsExpression > TSAsExpression[typeAnnotation.type="TSUnknownKeyword"]',
          message: '`as unknown as` hides a missing port or a wrong type; fix the type instead.',
        },
      ],
    },
  },
  {
    // The product's background work goes through the task runner (src/core/background/tasks.ts):
    // `void` may not hide a promise there. Tests, fakes and tools keep the default.
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }] },
  },
  {
    files: ['tests/**/*.ts', 'packages/fakes/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // expect.stringContaining() and friends are typed `any` by vitest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['eslint.config.js', '*.cjs', 'docs/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Examples for readers to copy (docs/jwks-refresh-receiver.mjs): plain Node scripts.
    files: ['docs/**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
  },
  {
    // typescript-eslint parses everything as ES modules; a .cjs file has CommonJS's `module`.
    files: ['*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
