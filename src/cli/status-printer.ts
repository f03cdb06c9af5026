/**
 * Shows a run's status on stderr: on a terminal, one line redrawn in place with the stage,
 * a bar and the traffic; elsewhere (logs, pipes), one plain line per change of stage or of
 * who is missing, so that a log says what happened without a flood of percentages.
 */
import { formatDuration } from '../lib/channel/http';
import { DEFAULT_RETRY_WINDOW_MS } from '../lib/channel/relay-client';
import { listParties } from '../lib/party/errors';
import { describeRemaining, OFFLINE_TOLERANCE_MS, SILENCE_MS, type PartyStatus } from '../lib/party';
import { formatBytes } from '../lib/server/relay/config';

const BAR_WIDTH = 24;

export interface StatusPrinter {
	update(status: PartyStatus): void;
	/** Clears the redrawn line (before the result or an error is printed). */
	finish(): void;
}

export function statusPrinter(options: { who: string; session: string; quiet: boolean; stream?: NodeJS.WriteStream }): StatusPrinter {
	const stream = options.stream ?? process.stderr;
	if (options.quiet) return { update: () => {}, finish: () => {} };
	let drawn = false;
	let lastLine = '';
	let lastRestart = 0;
	let toldRanBefore = false;
	/** A line of its own, once per restart: why the run starts again. */
	const restartLine = (status: PartyStatus) => {
		const restarted = status.restarted;
		if (!restarted || restarted.attempt === lastRestart) return '';
		lastRestart = restarted.attempt;
		return `${options.who}: the run starts again (attempt ${restarted.attempt + 1}): ${restarted.reason}; fresh randomness, your input is unchanged\n`;
	};
	/** A line of its own, once: the session has run already, so its earlier parties must come back. */
	const ranBeforeLine = (status: PartyStatus) => {
		if (!status.ranBefore?.length || toldRanBefore) return '';
		toldRanBefore = true;
		const one = status.ranBefore.length === 1;
		return `${options.who}: session '${options.session}' has run already: ${listParties(status.ranBefore)} had ${one ? 'its' : 'their'} result and left; this run waits until every party has joined again\n`;
	};
	/** The lines of their own that this status brings. */
	const notes = (status: PartyStatus) => `${ranBeforeLine(status)}${restartLine(status)}`;
	if (stream.isTTY) {
		return {
			update(status) {
				const said = notes(status);
				if (said) stream.write(`\r\x1b[2K${said}`);
				const line = `${options.who}: ${describe(status, options.session)}${bar(status)}${traffic(status)}`;
				stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 100) - 1)}`);
				drawn = true;
			},
			finish() {
				if (drawn) stream.write('\r\x1b[2K');
				drawn = false;
			}
		};
	}
	return {
		update(status) {
			stream.write(notes(status));
			const line = `${options.who}: ${describe(status, options.session)}`;
			if (line !== lastLine && status.stage !== 'done') stream.write(`${line}\n`);
			lastLine = line;
		},
		finish() {}
	};
}

function describe(status: PartyStatus, session: string): string {
	const stage = describeStage(status, session);
	if (status.left?.length) {
		const one = status.left.length === 1;
		return `${stage} — ${listParties(status.left)} left mid-run; waiting up to ${formatDuration(OFFLINE_TOLERANCE_MS)} for ${one ? 'it' : 'them'} to rejoin`;
	}
	if (status.relayUnreachable) return `${stage} — the relay has not answered for ${formatDuration(SILENCE_MS)} or more (${status.relayUnreachable}); retrying for up to ${formatDuration(DEFAULT_RETRY_WINDOW_MS)}`;
	// Said again whenever it changes, so that a log shows when a silent peer was back.
	return status.waitingFor?.length ? `${stage} — waiting for ${listParties(status.waitingFor)}, silent for ${formatDuration(SILENCE_MS)} or more` : stage;
}

function describeStage(status: PartyStatus, session: string): string {
	const mode = status.preprocessing === 'dealer' ? 'with the trusted dealer' : status.preprocessing === 'ot' ? 'with OT' : '';
	switch (status.stage) {
		case 'joining':
			return `joining session '${session}'`;
		case 'waiting':
			return status.missing?.length ? `waiting for ${listParties(status.missing)} to join` : 'waiting for the parties to agree';
		case 'handshake':
			return 'checking that everyone runs the same program and settings';
		case 'preprocessing':
			return `preprocessing ${mode}`.trim();
		case 'computing':
			return 'computing';
		case 'done':
			return 'done';
	}
}

/** The whole run's share done, and the time left at the pace measured so far. */
function bar(status: PartyStatus): string {
	const estimate = status.estimate;
	if (!estimate) return '';
	const filled = Math.round(estimate.fraction * BAR_WIDTH);
	const left = estimate.remainingMs === undefined ? '' : `, ${describeRemaining(estimate.remainingMs)}`;
	return ` ${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.floor(estimate.fraction * 100)}%${left}`;
}

function traffic(status: PartyStatus): string {
	return status.bytesSent + status.bytesReceived > 0 ? `  ↑${formatBytes(status.bytesSent)} ↓${formatBytes(status.bytesReceived)}` : '';
}
