import type { CodegenConfig } from "@graphql-codegen/cli";

// Types and TypedDocumentNodes for the operations every SDK shares.
const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["../operations/**/*.graphql"],
  ignoreNoDocuments: false,
  // ESM under NodeNext needs the `.js` suffix on relative imports.
  emitLegacyCommonJSImports: false,
  generates: {
    "src/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: "string", JSON: "unknown", Upload: "File | Blob" },
        useTypeImports: true,
        enumsAsTypes: true,
      },
    },
  },
};

export default config;
