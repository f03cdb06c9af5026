// bench:relay's relay CPU column: processCpuMs reads a running process's CPU time from
// /proc/PID/stat. It must count what the process spent, not the time it was alive.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processCpuMs } from '../../../bench/relay-processes';

/** Starts `node -e script` and resolves once it prints its first line. */
function started(script: string): Promise<{ child: ChildProcess; spawnedAt: number }> {
	const spawnedAt = performance.now();
	const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.stdout!.setEncoding('utf8').once('data', () => resolve({ child, spawnedAt }));
	});
}

/** Ends a child that waits for its stdin to close. */
function ended(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		child.once('close', () => resolve());
		child.stdin!.end();
	});
}

// A child that stays until its stdin closes, after `before` runs.
const waiting = (before: string) => `${before}; console.log('ready'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;

describe.runIf(existsSync('/proc/self/stat'))('processCpuMs', () => {
	it('counts the CPU a busy process spent', async () => {
		const { child, spawnedAt } = await started(waiting('const end = Date.now() + 400; while (Date.now() < end);'));
		const cpuMs = processCpuMs(child.pid)!;
		const aliveMs = performance.now() - spawnedAt;
		await ended(child);
		expect(cpuMs).toBeGreaterThanOrEqual(350);
		expect(cpuMs).toBeLessThanOrEqual(2 * aliveMs);
	});

	it('does not count the time an idle process waited', async () => {
		const { child, spawnedAt } = await started(waiting(''));
		const before = processCpuMs(child.pid)!;
		await new Promise((resolve) => setTimeout(resolve, 500));
		const after = processCpuMs(child.pid)!;
		const aliveMs = performance.now() - spawnedAt;
		await ended(child);
		expect(after - before).toBeLessThan(100);
		expect(after).toBeLessThan(aliveMs);
	});

	it('has no figure for a process that is not there', async () => {
		const { child } = await started(waiting(''));
		const pid = child.pid;
		await ended(child);
		expect(processCpuMs(pid)).toBeUndefined();
		expect(processCpuMs(undefined)).toBeUndefined();
	});
});
