// Lint rules on top of `tsc --strict`: the recommended sets of ESLint and typescript-eslint.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", "**/*.js", "**/*.mjs"] },
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
);
