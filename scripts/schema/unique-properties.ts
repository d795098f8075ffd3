/**
 * Compares the schema registry's uniqueness and custom attribute data (src-shared/dhis2/schema/registry.ts: `unique`,
 * `notUnique`, `uniqueConstraints`, `attributeFlag`, `attributeValues`) with what dhis2-core's mappings say at a ref of
 * the git mirror, and prints every difference. Run by hand when the mirror moves (never by a test):
 *   node --import tsx scripts/schema/unique-properties.ts [--git-dir /work/.mirror/dhis2+dhis2-core/repo] [--ref HEAD]
 * What it reads: each type's `*.hbm.xml` (`unique="true"` properties, `&identifiableProperties;` = uid and code,
 * `unique-key` groups) or JPA entity (`@Column(unique = true)` fields, `@UniqueConstraint`), whether the type persists
 * `attributeValues`, and Attribute.ObjectType (the Attribute flags). Only simple properties count for `unique`
 * (references with a unique column are one-to-one links, not values); uid and a computed org unit path are left out.
 */
import { execFileSync } from 'node:child_process';
import { IDENTIFIABLE, METADATA_TYPES } from '../../src-shared/dhis2/schema/registry.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const gitDir = opt('--git-dir', '/work/.mirror/dhis2+dhis2-core/repo');
const ref = opt('--ref', 'HEAD');
const git = (...a: string[]): string => execFileSync('git', ['--git-dir', gitDir, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 });

const files = git('ls-tree', '-r', '--name-only', ref, 'dhis-2').split('\n').filter((f) => f.includes('/src/main/'));
const show = (f: string): string => git('show', `${ref}:${f}`);

interface Found {
  unique: Set<string>;
  constraints: string[][];
  attributeValues: boolean;
}

function fromHbm(text: string): Found {
  const f: Found = { unique: new Set(), constraints: [], attributeValues: /name="attributeValues"/.test(text) };
  if (text.includes('&identifiableProperties;')) f.unique.add('code');
  const keys = new Map<string, string[]>();
  for (const m of text.matchAll(/<(property|many-to-one)\s+([^>]*?)\/?>/gs)) {
    const a = m[2]!;
    const name = /name="([^"]+)"/.exec(a)?.[1];
    if (!name) continue;
    if (m[1] === 'property' && /unique="true"/.test(a)) f.unique.add(name);
    const k = /unique-key="([^"]+)"/.exec(a)?.[1];
    if (k) keys.set(k, [...(keys.get(k) ?? []), name]);
  }
  for (const m of text.matchAll(/<properties\s+name="[^"]+"\s+unique="true">(.*?)<\/properties>/gs)) f.constraints.push([...m[1]!.matchAll(/name="([^"]+)"/g)].map((x) => x[1]!));
  f.constraints.push(...[...keys.values()].filter((k) => k.length > 1));
  return f;
}

function fromJpa(text: string): Found {
  const f: Found = { unique: new Set(), constraints: [], attributeValues: /"attributevalues"/i.test(text) };
  for (const m of text.matchAll(/@Column\(([^)]*)\)\s*(?:@[^\n]*\n\s*)*(?:private|protected)\s+[\w<>, ]+\s+(\w+)\s*[;=]/g)) {
    if (/unique\s*=\s*true/.test(m[1]!)) f.unique.add(m[2]!);
  }
  const uc = /uniqueConstraints\s*=(.*?)\)\s*\)/s.exec(text);
  if (uc) f.constraints.push([...uc[1]!.matchAll(/columnNames\s*=\s*\{([^}]*)\}/g)].flatMap((x) => [...x[1]!.matchAll(/"(\w+)"/g)].map((y) => y[1]!)));
  return f;
}

function find(klass: string): Found | null {
  const simple = klass.slice(klass.lastIndexOf('.') + 1);
  const pkg = klass.slice(0, klass.lastIndexOf('.'));
  for (const f of files.filter((x) => x.endsWith(`/${simple}.hbm.xml`))) {
    const t = show(f);
    if (t.includes(`name="${klass}"`) || (t.includes(`package="${pkg}"`) && t.includes(`name="${simple}"`))) return fromHbm(t);
  }
  const java = files.find((x) => x.endsWith(`/${klass.replaceAll('.', '/')}.java`));
  if (java) {
    const t = show(java);
    if (t.includes('@Entity')) return fromJpa(t);
  }
  return null;
}

// Attribute.ObjectType: DATA_ELEMENT(DataElement.class) → the flag dataElementAttribute on that class
const attrJava = files.find((x) => x.endsWith('/org/hisp/dhis/attribute/Attribute.java'))!;
const flags = new Map<string, string>();
for (const m of show(attrJava).matchAll(/^\s*([A-Z_]+)\((\w+)\.class\)/gm)) {
  const camel = m[1]!.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  flags.set(m[2]!, `${camel}Attribute`);
}

let diffs = 0;
const say = (type: string, what: string): void => {
  diffs++;
  console.log(`${type}: ${what}`);
};
for (const [type, spec] of Object.entries(METADATA_TYPES)) {
  if (spec.importable === false || spec.embeddedIn) continue;
  const found = find(spec.klass);
  if (!found) {
    console.log(`${type}: ${spec.klass} has no mapping at ${ref} (left as it is)`);
    continue;
  }
  found.unique.delete('uid');
  found.unique.delete('path');
  const registry = new Set([...IDENTIFIABLE.unique, ...(spec.unique ?? [])].filter((p) => !spec.notUnique?.includes(p)));
  for (const p of found.unique) if (!registry.has(p)) say(type, `${p} is unique in DHIS2, not in the registry`);
  for (const p of registry) if (!found.unique.has(p)) say(type, `${p} is unique in the registry, not in DHIS2`);
  const simple = spec.klass.slice(spec.klass.lastIndexOf('.') + 1);
  const flag = flags.get(simple);
  if (flag !== spec.attributeFlag) say(type, `Attribute flag: DHIS2 ${flag ?? 'none'}, registry ${spec.attributeFlag ?? 'none'}`);
  const keeps = !!spec.attributeFlag || spec.attributeValues === true;
  if (found.attributeValues !== keeps) say(type, `attribute values persisted: DHIS2 ${found.attributeValues}, registry ${keeps}`);
  const ours = (spec.uniqueConstraints ?? []).length;
  if (found.constraints.length !== ours) say(type, `multi-column unique constraints: DHIS2 ${JSON.stringify(found.constraints)}, registry ${ours}`);
}
console.log(diffs ? `${diffs} difference(s) at ${ref}` : `no difference at ${ref}`);
