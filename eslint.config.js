// Flat config: typescript-eslint strict rules, Prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time comes from an injected Clock (src/clock); Date.now() only in src/clock.',
        },
      ],
    },
  },
  {
    // The layering of DESIGN.md §3: the simulator is the other side of the wire and may only
    // use regmap, protocol (pure framing) and clock from src/.
    files: ['sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/bus/**', '**/src/devices/**', '**/src/control/**', '**/src/north/**'],
              message: 'sim/ depends only on src/regmap, src/protocol and src/clock.',
            },
          ],
        },
      ],
    },
  },
  {
    // The gateway sees the shelf only through its buses: nothing below src/simlink and src/cli
    // (the harnesses that join both sides) may import the simulator. Layers look down only.
    files: ['src/**/*.ts'],
    ignores: ['src/simlink/**', 'src/cli/**', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sim/**', '!**/src/simlink/**'],
              message:
                'the gateway reaches the shelf only through its buses (src/simlink joins them).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/control/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sim/**', '**/north/**', '**/gateway/**', '**/cli/**', '**/simlink/**'],
              message:
                'src/control looks down only: regmap, protocol, bus, devices, clock, journal.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain JS entry points run on Node; TypeScript files get globals from @types/node.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['src/clock/real-clock.ts', 'bin/**', 'scripts/**', 'test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
