// Resolves the @tdkt/* path aliases of tsconfig.base.json in the compiled output under dist/.
// Loaded with `node --require ./infra/runtime/register-paths.cjs dist/apps/api/src/main.js`.
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');

const dist = path.resolve(__dirname, '..', '..', 'dist');
tsconfigPaths.register({
  baseUrl: dist,
  paths: {
    '@tdkt/domain': ['libs/domain/src/index.js'],
    '@tdkt/contracts': ['libs/contracts/src/index.js'],
    '@tdkt/persistence': ['libs/persistence/src/index.js'],
  },
});
