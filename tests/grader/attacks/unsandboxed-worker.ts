// The grading process without the sandbox's inside (no lockdown, no Compartment: the student's
// code and the tests share one ordinary realm, as in the regrader before SES). The attack suite
// runs its patching submissions through it to show that they are real attacks: here they score.
import { writeSync } from 'node:fs';
import { gradeCode } from '../../../src/runtime/grader.ts';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const { jobs } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { jobs: Array<{ code: string; tests: string; expectedExports: string[] }> };
const quiet = { log() {}, info() {}, warn() {}, error() {} };
writeSync(3, `${JSON.stringify({ ready: true })}\n`);
for (const [index, job] of jobs.entries()) {
  const report = await gradeCode({ ...job, console: quiet, host: { plot() {}, progress() {} } });
  writeSync(3, `${JSON.stringify({ index, report })}\n`);
}
process.exit(0);
