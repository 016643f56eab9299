import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['dist/', 'dist-bench/', 'node_modules/', 'coverage/', 'web/dist/', '.test-build-*/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      curly: 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Domain and calendar are the functional core: no I/O, no wall clock.
    files: ['src/domain/**/*.ts', 'src/calendar/**/*.ts', 'src/policy/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-support.ts', 'src/policy/load-policy-file.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'pg',
            'kysely',
            '@electric-sql/*',
            '**/store/**',
            '**/http/**',
            '**/notify/**',
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is an input: pass `now`.' },
      ],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
)
