/**
 * CPU profiles of a page's dedicated Worker through the Chrome DevTools Protocol, and the
 * summary of such profiles and of Node's (bench:kernels --profile, bench:relay --profile, with
 * or without --browser). Playwright's CDP sessions reach pages only, so this attaches to the
 * Worker the old (non-flattened) way and talks to it through Target.sendMessageToTarget.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession } from 'playwright-core';

export interface WorkerProfiler {
	/** Waits for the Worker (the page's running one, or the next it starts), starts the profiler and lets a paused Worker run. */
	start(): Promise<void>;
	/** Stops the profiler and writes the profile (.cpuprofile, as DevTools opens it) to `file`. */
	stop(file: string): Promise<void>;
}

/**
 * Attaches to the Worker of the page behind `cdp`: the one it runs now, or else the next one it
 * starts, which waits (paused) for start().
 */
export async function profileWorker(cdp: CDPSession): Promise<WorkerProfiler> {
	let session = '';
	let id = 0;
	const pending = new Map<number, (result: unknown) => void>();
	cdp.on('Target.attachedToTarget', (event) => {
		if (event.targetInfo.type === 'worker' && !session) session = event.sessionId;
	});
	cdp.on('Target.receivedMessageFromTarget', (event) => {
		const message = JSON.parse(event.message) as { id?: number; result?: unknown };
		if (message.id !== undefined) pending.get(message.id)?.(message.result);
	});
	await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
	const send = (method: string, params: object = {}) =>
		new Promise<unknown>((resolve) => {
			pending.set(++id, resolve);
			void cdp.send('Target.sendMessageToTarget', { sessionId: session, message: JSON.stringify({ id, method, params }) });
		});
	return {
		async start() {
			while (!session) await new Promise((resolve) => setTimeout(resolve, 10));
			await send('Profiler.enable');
			await send('Profiler.start');
			await send('Runtime.runIfWaitingForDebugger');
		},
		async stop(file) {
			const { profile } = (await send('Profiler.stop')) as { profile: unknown };
			writeFileSync(file, JSON.stringify(profile));
			await cdp.send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false, flatten: false });
		}
	};
}

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
}

interface CpuProfile {
	nodes: { id: number; callFrame: CallFrame }[];
	samples: number[];
	timeDeltas: number[];
}

/**
 * Names a call frame of a bundle by its source map: the original name, file and line. A
 * page's script has one where `servedFrom` (the folder the page's URL paths map to) has it
 * beside the script (`vite build --sourcemap`); a file's (the CLI's bundle, file://) beside the
 * file. Otherwise the name the profile has and the script's file.
 */
function namer(servedFrom: string | undefined): (frame: CallFrame) => { name: string; where: string } {
	const maps = new Map<string, SourceMap | undefined>();
	const mapOf = (url: string) => {
		const local = url.startsWith('file://');
		if (!local && (!servedFrom || !url.startsWith('http'))) return undefined;
		const file = (local ? fileURLToPath(url) : join(servedFrom!, new URL(url).pathname)) + '.map';
		if (!maps.has(file)) maps.set(file, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined);
		return maps.get(file);
	};
	return (frame) => {
		const { functionName, url } = frame;
		if (url.startsWith('wasm://')) return { name: functionName, where: 'kernels.wasm' };
		const entry = mapOf(url)?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number; name?: string } | undefined;
		if (entry?.originalSource) {
			const source = entry.originalSource.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '');
			// Only a page's bundle is minified: the CLI's keeps the names the profile shows.
			const minified = !entry.name && !url.startsWith('file://');
			return { name: `${entry.name ?? functionName}${minified ? ' (minified)' : ''} ${source.split('/').pop()}:${(entry.originalLine ?? 0) + 1}`, where: source.split('/').slice(0, -1).join('/') || source };
		}
		return { name: functionName || '(anonymous)', where: url.split('?')[0].split('/').slice(-2).join('/') || functionName };
	};
}

/** Self time per function of a .cpuprofile (µs), idle excluded, and the profile's span. */
function selfTimes(file: string, servedFrom?: string): { byFunction: Map<string, number>; byFile: Map<string, number>; busyUs: number; spanUs: number } {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byNode = new Map<number, number>();
	let spanUs = 0;
	profile.samples.forEach((node, i) => {
		const delta = profile.timeDeltas[i] ?? 0;
		spanUs += delta;
		byNode.set(node, (byNode.get(node) ?? 0) + delta);
	});
	const byFunction = new Map<string, number>();
	const byFile = new Map<string, number>();
	let busyUs = 0;
	const nameOf = namer(servedFrom);
	for (const { id, callFrame } of profile.nodes) {
		const us = byNode.get(id) ?? 0;
		if (callFrame.functionName === '(idle)' || us === 0) continue;
		busyUs += us;
		const { name, where } = nameOf(callFrame);
		const label = where && !name.includes(':') ? `${name} (${where})` : name;
		byFunction.set(label, (byFunction.get(label) ?? 0) + us);
		byFile.set(where, (byFile.get(where) ?? 0) + us);
	}
	return { byFunction, byFile, busyUs, spanUs };
}

/**
 * The functions and source folders with the most self time in a .cpuprofile, with their share
 * of the busy (not idle) samples; `servedFrom` as for namer.
 */
export function printProfile(title: string, file: string, servedFrom?: string, top = 16): void {
	const { byFunction, byFile, busyUs, spanUs } = selfTimes(file, servedFrom);
	const share = (us: number) => `${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms`;
	console.log(`${title}: ${(busyUs / 1000).toFixed(0)} ms busy of ${(spanUs / 1000).toFixed(0)} ms profiled`);
	console.log('  by function (self time):');
	for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${share(us)}  ${name}`);
	console.log('  by source folder:');
	for (const [name, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top >>> 1)) console.log(`  ${share(us)}  ${name}`);
}
