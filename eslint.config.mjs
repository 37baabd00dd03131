// Lint rules on top of `tsc --strict`: the recommended sets of ESLint and typescript-eslint, and
// the Pulumi plugin's typed rules for Output misuse.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // The lint fixtures are wrong on purpose; test/lint lints them and expects the findings.
    { ignores: ["node_modules/", "bin/", "**/*.js", "**/*.mjs", "test/lint/fixtures/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // Test assertions and mock plumbing read loosely typed resource inputs on purpose.
            "@typescript-eslint/no-explicit-any": "off",
            // `_`-prefixed names mark what a destructuring deliberately leaves out.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // An Output in a plain template literal renders as a warning text instead of its value
        // (https://www.pulumi.com/docs/iac/concepts/inputs-outputs/apply/#outputs-and-strings);
        // the rules need types, so they run with the TypeScript program of tsconfig.json and
        // policy/tsconfig.json. 0.3.1 ships no recommended config: these are all of its rules.
        files: ["**/*.ts"],
        plugins: { "@pulumi": pulumi },
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
        },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
    {
        // The plugin recognises `Output<T>` alone; an `Input<T>` (a string, a Promise or an Output) in a
        // template literal is the same mistake, which this rule reports in the program's code.
        files: ["components/**/*.ts", "stacks/**/*.ts", "test/lint/fixtures/*.ts"],
        rules: {
            "@typescript-eslint/restrict-template-expressions": "error",
        },
    },
);
