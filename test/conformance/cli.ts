/**
 * The conformance run against any Redfish service (docs/REDFISH-CONFORMANCE.md):
 *
 *   REDFISH_PASSWORD=... npx tsx test/conformance/cli.ts --url https://10.0.0.5 --user admin
 *
 * Exit status 0 when nothing failed, 1 when something did, 2 on a usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { failures, runConformance, summary } from './support/conformance.js';
import { POWER_SHELF_PROFILE, SCHEMA_DIR } from './support/paths.js';
import { formatFinding } from './support/profile-checker.js';
import { schemasAvailable } from './support/schema-validator.js';

const USAGE = `usage: npx tsx test/conformance/cli.ts --url URL --user NAME [options]
  --url URL              service origin, e.g. https://10.0.0.5 (or http://127.0.0.1:8080)
  --user NAME            account to walk with
  --password-env VAR     environment variable holding the password (default REDFISH_PASSWORD)
  --password TEXT        the password itself (visible in the process list: prefer the env var)
  --ca FILE              PEM of the CA (or self-signed certificate) to trust
  --insecure             do not verify the TLS certificate
  --basic                Basic auth instead of a session (the baseline's Session check then fails
                         unless the service holds other sessions)
  --schemas DIR          DMTF JSON schema bundle (default ${SCHEMA_DIR})
  --profile FILE|none    interoperability profile (default ${POWER_SHELF_PROFILE})
  --max-resources N      bound of the walk (default 2000)
  --max-members N        members walked per collection (default 200)
  --advisories           also list advisories (recommended items absent, null mandatory values)
  --dump-tree FILE       write the walked tree (URI -> payload) as JSON
  --json                 print the report as JSON`;

function usage(message: string): never {
  console.error(`conformance: ${message}\n${USAGE}`);
  process.exit(2);
}

function options() {
  let v;
  try {
    v = parseArgs({
      options: {
        url: { type: 'string' },
        user: { type: 'string' },
        'password-env': { type: 'string' },
        password: { type: 'string' },
        ca: { type: 'string' },
        insecure: { type: 'boolean' },
        basic: { type: 'boolean' },
        schemas: { type: 'string' },
        profile: { type: 'string' },
        'max-resources': { type: 'string' },
        'max-members': { type: 'string' },
        advisories: { type: 'boolean' },
        'dump-tree': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!v.url) usage('--url is required');
  if (!v.user) usage('--user is required');
  const envName = v['password-env'] ?? 'REDFISH_PASSWORD';
  const password = v.password ?? process.env[envName];
  if (password === undefined) usage(`no password: set ${envName} or pass --password`);
  const count = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!(Number.isInteger(n) && n > 0)) usage(`--${name} must be a positive whole number`);
    return n;
  };
  const schemaDir = v.schemas ?? SCHEMA_DIR;
  return {
    url: v.url,
    ...(v.ca ? { ca: readFileSync(v.ca, 'utf8') } : {}),
    insecure: v.insecure ?? false,
    credentials: {
      kind: v.basic ? ('basic' as const) : ('session' as const),
      user: v.user,
      password,
    },
    schemaDir: schemasAvailable(schemaDir) ? schemaDir : null,
    profile: v.profile === 'none' ? null : (v.profile ?? POWER_SHELF_PROFILE),
    maxResources: count('max-resources', v['max-resources']),
    maxMembersPerCollection: count('max-members', v['max-members']),
    advisories: v.advisories ?? false,
    dumpTree: v['dump-tree'],
    json: v.json ?? false,
  };
}

async function main(): Promise<void> {
  const o = options();
  const r = await runConformance(o);
  if (o.dumpTree)
    writeFileSync(o.dumpTree, `${JSON.stringify(Object.fromEntries(r.walk.tree), null, 2)}\n`);
  const fails = failures(r);
  if (o.json) {
    const { tree: _tree, ...walk } = r.walk;
    console.log(JSON.stringify({ ...r, walk, failures: fails }, null, 2));
  } else {
    console.log(summary(r));
    if (fails.length) console.log(`\nfailures (${fails.length}):\n  ${fails.join('\n  ')}`);
    if (o.advisories && r.profile?.advisories.length) {
      console.log(
        `\nadvisories (${r.profile.advisories.length}):\n  ${r.profile.advisories.map(formatFinding).join('\n  ')}`,
      );
    }
    if (r.walk.notes.length) console.log(`\nnotes:\n  ${r.walk.notes.join('\n  ')}`);
  }
  process.exitCode = fails.length ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(`conformance: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
});
