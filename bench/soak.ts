/**
 * npm run soak [-- --sequential 500 --concurrent 500 --concurrency 20 --cli-every 10]
 * Issue 15's soak of the relay (see bench/soak-run.ts); needs `npm run build` first.
 */
import { parseArgs } from 'node:util';
import { mb, soak } from './soak-run';

const { values } = parseArgs({
	options: {
		sequential: { type: 'string', default: '500' },
		concurrent: { type: 'string', default: '500' },
		concurrency: { type: 'string', default: '20' },
		'cli-every': { type: 'string', default: '10' }
	}
});
const count = (name: keyof typeof values) => {
	const n = Number(values[name]);
	if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0, got ${values[name]}`);
	return n;
};
const report = await soak({
	sequential: count('sequential'),
	concurrent: count('concurrent'),
	concurrency: Math.max(1, count('concurrency')),
	cliEvery: count('cli-every'),
	heapTolerance: 0.1,
	onProgress: (done, total) => process.stderr.write(`\r${done}/${total} sessions`)
});
process.stderr.write('\n');
const { before, after, peak } = report;
console.log(`${report.sessions} sessions of the sum (3 parties, ${report.withCli} with a CLI party) in ${(report.wallMs / 1000).toFixed(0)} s, ${report.wrongResults.length} wrong or failed`);
console.log(`relay heap (collected): ${mb(before.process.heapUsedBytes)} MB before, ${mb(peak.heapUsedBytes)} MB at most, ${mb(after.process.heapUsedBytes)} MB after; RSS ${mb(before.process.rssBytes)} / ${mb(peak.rssBytes)} / ${mb(after.process.rssBytes)} MB`);
console.log(`open handles before ${JSON.stringify(before.process.activeResources)}, after ${JSON.stringify(after.process.activeResources)}; at most ${peak.sessions} sessions at once`);
for (const wrong of report.wrongResults.slice(0, 10)) console.log(`  ${wrong}`);
if (report.leaks.length > 0) console.log(`not back where it started: ${report.leaks.join('; ')}`);
process.exitCode = report.wrongResults.length > 0 || report.leaks.length > 0 ? 1 : 0;
