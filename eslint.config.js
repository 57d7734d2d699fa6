// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// SDKs and drivers that only adapters may touch: core/ is the domain and names ports instead.
const sdkImports = [
  '@slack/*',
  '@aws-sdk/*',
  'auth0',
  'auth0/*',
  'better-sqlite3',
  '@anthropic-ai/*',
  'jose',
  'pino',
  'prom-client',
  'node-cron',
  'cockatiel',
];

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
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: sdkImports,
              message: 'core/ imports no SDK: define a port in core/ and implement it in an adapter.',
            },
            {
              group: [
                '../slack/*',
                '../store/*',
                '../http/*',
                '../auth0/*',
                '../aws/*',
                '../llm/*',
                '../jobs/*',
                '../main*',
                '../config*',
                '../logger*',
              ],
              message: 'core/ depends on nothing of ours but errors.ts.',
            },
          ],
        },
      ],
    },
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
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
