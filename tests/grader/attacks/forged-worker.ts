// Stands in for scripts/grade-worker.ts in the attack suite: a grading process that a student's
// code has taken over completely. The job's `code` names what it does; the regrader must reject
// every forged report (a 0 with a reason), and the permission model must refuse what it tries.
import { writeSync } from 'node:fs';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const { jobs } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { jobs: Array<{ code: string; tests: string }> };
const send = (line: string) => writeSync(3, `${line}\n`);
const report = (r: unknown, index = 0) => send(JSON.stringify({ index, report: r }));

/** Everything a process that escaped the Compartment would try, and what Node's permission model answered. */
async function tryEverything(): Promise<string[]> {
  const out: string[] = [];
  const attempt = async (name: string, fn: () => unknown) => {
    try {
      await fn();
      out.push(`${name}: allowed`);
    } catch (e) {
      out.push(`${name}: ${(e as { code?: string }).code ?? (e as Error).message}`);
    }
  };
  const fs = await import('node:fs');
  const { markers, secret } = JSON.parse(jobs[0]!.tests) as { markers: string; secret: string };
  await attempt('write a file', () => fs.writeFileSync(`${markers}/permission-write`, 'x'));
  await attempt('read a file beside the class', () => fs.readFileSync(secret, 'utf8'));
  await attempt('list the home folder', () => fs.readdirSync(process.env.HOME ?? '/root'));
  await attempt('run a command', async () => (await import('node:child_process')).execSync(`touch ${markers}/permission-exec`));
  await attempt('start a worker', async () => new (await import('node:worker_threads')).Worker('1', { eval: true }));
  await attempt('load an addon', () => process.dlopen({ exports: {} } as never, '/nonexistent.node'));
  await attempt('see the environment', () => {
    if (!Object.keys(process.env).length) throw Object.assign(new Error('empty'), { code: 'EMPTY' });
  });
  return out;
}

const what = jobs[0]?.code;
if (what === 'early') report({ passed: 1, total: 1, tests: [{ name: 't', passed: true }] });
send(JSON.stringify({ ready: true }));
if (what === 'thousand-of-one') report({ passed: 1000, total: 1, tests: [{ name: 't', passed: true }] });
else if (what === 'uncounted') report({ passed: 4, total: 4, tests: [] });
else if (what === 'not-json') send('{"index":0,"report":');
else if (what === 'wrong-types') report({ passed: '4', total: 4, tests: [{ name: 't', passed: 'yes' }] });
else if (what === 'nan') report({ passed: NaN, total: Infinity, tests: [] });
else if (what === 'out-of-order') report({ passed: 0, total: 0, tests: [] }, 5);
else if (what === 'huge') send(`{"index":0,"report":{"passed":0,"total":0,"tests":[],"x":"${'x'.repeat(6 << 20)}"}}`);
else if (what === 'flood') for (let i = 0; i < 1e6; i++) send('{"ready":true}');
else if (what === 'error-with-passes') report({ passed: 3, total: 4, tests: [], error: { name: 'Error', message: 'x', where: 'your code' } });
else if (what === 'long-text') report({ passed: 0, total: 1, tests: [{ name: 'x'.repeat(1e5), passed: false }] });
else if (what === 'permissions') report({ passed: 0, total: 7, tests: (await tryEverything()).map((name) => ({ name, passed: false })) });
else if (what === 'honest') report({ passed: 2, total: 4, tests: [1, 2, 3, 4].map((i) => ({ name: `t${i}`, passed: i <= 2 })) });
process.exit(0);
